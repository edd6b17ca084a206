package io.berth.http;

import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the registry API answers a failure: the spec's JSON error body ({@code ErrorBody}) with the
 * code's status, for refusals, bodies that could not be read, and the server's own failures (a 500
 * that names nothing of the cause, which goes to the log). A response already committed is ended
 * as failed instead.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

    private ErrorResponses() {
    }

    /**
     * A request whose body could not be read: 408 when it arrived too slowly
     * ({@link MinimumBodyRate}), 400 when the client stopped sending or went silent past the idle
     * timeout; anything else is the server's failure.
     */
    static void failedBody(Exchange exchange, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MinimumBodyRate.TooSlow) {
                LOG.debug("request body too slow: {}", cause.getMessage());
                exchange.setHeader("Connection", "close");
                send(exchange, 408, ErrorCode.BLOB_UPLOAD_INVALID, cause.getMessage(), null);
                return;
            }
            if (cause instanceof EofException || cause instanceof java.util.concurrent.TimeoutException) {
                LOG.debug("request body ended early: {}", e.getMessage());
                exchange.setHeader("Connection", "close");
                send(exchange, 400, ErrorCode.BLOB_UPLOAD_INVALID, "the request body ended early", null);
                return;
            }
        }
        fail(exchange, e);
    }

    /**
     * Answers {@code status} with the error body of {@code code}; what is left of the request body
     * is read away first (up to a limit), except for a 503, which sheds the request at once.
     *
     * @param detail the error's {@code detail}, or null for none
     */
    static void send(Exchange exchange, int status, ErrorCode code, String message, Object detail) {
        if (exchange.response.isCommitted()) {
            exchange.callback.failed(new IllegalStateException(message));
            return;
        }
        if (status != 503) {
            exchange.discardUnreadBody(Limits.MAX_DISCARDED_BODY_BYTES);
        }
        exchange.response.getHeaders().remove("Docker-Content-Digest");
        exchange.response.getHeaders().remove("Content-Range");
        exchange.send(status, "application/json", Exchange.toJson(ErrorBody.of(code, message, detail)));
    }

    /** The server's own failure: logged with its cause, answered 500 with nothing of it. */
    static void fail(Exchange exchange, Exception e) {
        LOG.error("{} {} failed", exchange.method(), exchange.request.getHttpURI().getPath(), e);
        if (exchange.response.isCommitted()) {
            exchange.callback.failed(e);
            return;
        }
        exchange.response.getHeaders().clear();
        exchange.response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        exchange.send(500, "application/json",
                Exchange.toJson(ErrorBody.of(ErrorCode.UNSUPPORTED, "internal error; see the server log", null)));
    }
}
