package io.berth.http;

import io.berth.oci.ErrorCode;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors that the HTTP server produces on its own, before or around the registry's
 * handlers — a request line it cannot parse (400), a URI over its limit (414), headers over
 * {@code Limits.MAX_REQUEST_HEADER_BYTES} (431), an unknown HTTP version (505), a missing or
 * malformed {@code Host} (400), a server shutting down (503) — as the registry's own JSON error
 * body ({@code {"errors":[{"code":…,"message":…}]}}, {@code Content-Type: application/json}),
 * whatever the method and the {@code Accept} header, so that clients read every error one way.
 *
 * <p>The code follows the one the registry uses for the same status ({@link #codeFor}); the
 * message is the server's short reason. Nothing from the request (URI, headers, credentials) is
 * echoed, unlike the server's default HTML page. Every such answer carries its request's id
 * ({@link RequestIds#HEADER}), as the registry's own answers do.
 */
public final class ServerErrorHandler implements Request.Handler {
    /**
     * The request attribute marking a TLS handshake sent to a plain-HTTP port. skopeo, podman and
     * buildah, told a registry is insecure ({@code --tls-verify=false}), first try HTTPS on every
     * connection and fall back to HTTP when that fails; Jetty reads their TLS ClientHello as an HTTP
     * request, refuses its first byte — a TLS record of type handshake starts with {@code 0x16}, which
     * no HTTP request line does — and answers {@code 400}, which tells the client to fall back. The
     * access log then writes a note ({@link AccessLog}) instead of {@code BAD /badMessage}.
     */
    static final String TLS_HANDSHAKE = "io.berth.tlsHandshakeOnPlainPort";
    /** Jetty's reason for a request whose first byte is {@code 0x16}: a TLS handshake record. */
    static final String TLS_HANDSHAKE_REASON = "Illegal character CNTL=0x16";

    /** A reason the server wrote itself: short plain words ("Bad HostPort"), never request bytes. */
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 .,:;'()/_-]{1,100}");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String message ? message : null;
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException exception) {
            status = exception.getCode();
            response.setStatus(status);
            reason = reason == null ? exception.getReason() : reason;
        }
        if (status == HttpStatus.BAD_REQUEST_400 && TLS_HANDSHAKE_REASON.equals(reason)) {
            Request.unWrap(request).setAttribute(TLS_HANDSHAKE, Boolean.TRUE);
        }
        response.getHeaders().put(RequestIds.HEADER, RequestIds.of(request));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        byte[] body = Exchange.toJson(ErrorBody.of(codeFor(status), message(status, reason), null));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // The server sends what is written even for a HEAD it could not parse fully; a HEAD gets none.
        response.write(true, "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }

    /**
     * The registry's code for a status the server chose: the one {@link ErrorCode} whose status it
     * is where the registry answers that status with it ({@code SIZE_INVALID} for 413,
     * {@code UNAUTHORIZED} 401, {@code DENIED} 403, {@code TOOMANYREQUESTS} 429), else
     * {@code UNSUPPORTED}, the code the registry already answers with for a request it cannot
     * serve as sent (an unknown path, a bad parameter, an internal error).
     */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.DENIED;
            case 413 -> ErrorCode.SIZE_INVALID;
            case 429 -> ErrorCode.TOOMANYREQUESTS;
            default -> ErrorCode.UNSUPPORTED;
        };
    }

    private static String message(int status, String reason) {
        String standard = HttpStatus.getMessage(status);
        if (reason == null || !PLAIN_REASON.matcher(reason).matches() || reason.equals(standard)) {
            return standard;
        }
        return standard + ": " + reason;
    }
}
