package io.berth.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses request bodies that arrive too slowly: once {@code grace} has passed since the handler
 * first read a request's body, every further read checks that the body has averaged at least
 * {@code minimumBytesPerSecond} since then, and otherwise fails with {@link TooSlow} (answered 408,
 * connection closed). This stops a client from holding a connection, a thread and a body buffer by
 * trickling a few bytes now and then; a client that sends nothing at all is cut off by the
 * connector's idle timeout instead. Unlike Jetty's {@code MinimumDataRateHandler}, which divides the
 * bytes of all requests by one request's time, each request is measured on its own.
 */
public final class MinimumBodyRate extends Handler.Wrapper {
    private final long minimumBytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoClock;

    /**
     * @param minimumBytesPerSecond the slowest average accepted after the grace period; 0 accepts any pace
     * @param grace                 how long a body may arrive at any pace
     */
    public MinimumBodyRate(Handler handler, long minimumBytesPerSecond, Duration grace) {
        this(handler, minimumBytesPerSecond, grace, System::nanoTime);
    }

    MinimumBodyRate(Handler handler, long minimumBytesPerSecond, Duration grace, LongSupplier nanoClock) {
        super(handler);
        this.minimumBytesPerSecond = minimumBytesPerSecond;
        this.graceNanos = grace.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (minimumBytesPerSecond <= 0) {
            return super.handle(request, response, callback);
        }
        return super.handle(new MeasuredRequest(request), response, callback);
    }

    /** The failure of a body that arrived too slowly. */
    public static final class TooSlow extends TimeoutException {
        TooSlow(String message) {
            super(message);
        }
    }

    /** A request whose body reads are timed from the first one. */
    private final class MeasuredRequest extends Request.Wrapper {
        private long firstReadNanos;
        private long bytesRead;
        private Content.Chunk failure;

        MeasuredRequest(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (failure != null) {
                return failure;
            }
            long now = nanoClock.getAsLong();
            if (firstReadNanos == 0) {
                firstReadNanos = now == 0 ? 1 : now;
            }
            Content.Chunk chunk = super.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) {
                return chunk;
            }
            bytesRead += chunk.remaining();
            if (chunk.isLast()) {
                return chunk;
            }
            long elapsed = now - firstReadNanos;
            if (elapsed > graceNanos && bytesRead < minimumBytesPerSecond * (elapsed / 1_000_000) / 1000) {
                chunk.release();
                failure = Content.Chunk.from(new TooSlow("the request body arrived at less than " + minimumBytesPerSecond
                        + " bytes per second"), true);
                return failure;
            }
            return chunk;
        }
    }
}
