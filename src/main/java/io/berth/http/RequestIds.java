package io.berth.http;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Gives every request an id of {@link #LENGTH} lowercase hex characters (64 random bits), sent back
 * in the {@value #HEADER} response header and written in the access log, so that a client's report
 * and the server's records can be matched. An {@value #HEADER} the client sends is ignored: an id
 * in the log is always one the server chose, so no client can make two requests look like one.
 *
 * <p>While the next handler runs on the request's thread the id is also {@link #current()}, which
 * the log output reads to mark the application log lines written meanwhile.
 */
public final class RequestIds extends Handler.Wrapper {
    /** The response header carrying the request's id. */
    public static final String HEADER = "X-Request-Id";
    /** The request attribute holding the request's id once one was given. */
    static final String ATTRIBUTE = "io.berth.requestId";
    static final int LENGTH = 16;

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    public RequestIds(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = of(request);
        response.getHeaders().put(HEADER, id);
        String outer = CURRENT.get();
        CURRENT.set(id);
        try {
            return super.handle(request, response, callback);
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The id of the request the calling thread is handling; empty outside a request. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * The id of {@code request}: the one it was given, or a new one, given now. A request Jetty could
     * not parse reaches the error handler and the access log without passing {@link #handle}, and is
     * given its id there.
     */
    static String of(Request request) {
        Request original = Request.unWrap(request);
        if (original.getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        String id = HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
        original.setAttribute(ATTRIBUTE, id);
        return id;
    }
}
