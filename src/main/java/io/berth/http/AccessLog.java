package io.berth.http;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code berth.access} logger:
 * {@code client method path status bytes duration}.
 */
public final class AccessLog implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("berth.access");

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - request.getBeginNanoTime());
        String query = request.getHttpURI().getQuery();
        LOG.info("{} {} {}{} {} {} {}.{}ms",
                Request.getRemoteAddr(request),
                request.getMethod(),
                request.getHttpURI().getPath(),
                query == null ? "" : "?" + query,
                response.getStatus(),
                Response.getContentBytesWritten(response),
                micros / 1000, String.format("%03d", micros % 1000));
    }
}
