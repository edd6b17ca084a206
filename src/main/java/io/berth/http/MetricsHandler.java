package io.berth.http;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The management port: {@code GET /metrics} in the Prometheus text format, with no authentication
 * (whoever can reach the address may read it); every other path is 404 and every other method 405.
 * No request body is read.
 */
public final class MetricsHandler extends Handler.Abstract {
    private final MetricsPage page;

    public MetricsHandler(MetricsPage page) {
        this.page = page;
    }

    /**
     * The metrics as text.
     *
     * @param text        renders every metric now
     * @param contentType the text's media type
     */
    public record MetricsPage(Supplier<String> text, String contentType) {
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!request.getHttpURI().getDecodedPath().equals(Routes.METRICS)) {
            Response.writeError(request, response, callback, 404);
            return true;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, 405);
            return true;
        }
        byte[] body = page.text().get().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, page.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, method.equals("HEAD") ? null : java.nio.ByteBuffer.wrap(body), callback);
        return true;
    }
}
