package io.berth.mirror;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * Probes a source with {@code HEAD <base>berth-sync/generation} ({@link SyncIndex#GENERATION_FILE}),
 * a file of a few bytes every copy of the tree holds. Any answer below 500 counts as reachable (a
 * redirect is not followed); a refused or reset connection, no answer within the timeout, or a
 * server error counts as a failure.
 */
public final class HttpSourceProber implements SourceProber, AutoCloseable {
    private final Duration timeout;
    /** Made at the first probe: a registry that sends no client anywhere never opens an HTTP client. */
    private HttpClient http;
    private boolean closed;

    public HttpSourceProber(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void check(URI base) throws SourceUnreachable, InterruptedException {
        URI uri = base.resolve(SyncIndex.GENERATION_FILE);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            int status = client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 500) {
                throw new SourceUnreachable("HEAD " + uri + " answered " + status);
            }
        } catch (HttpTimeoutException e) {
            throw new SourceUnreachable("HEAD " + uri + " got no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            String message = e.getMessage();
            throw new SourceUnreachable("HEAD " + uri + " failed: " + e.getClass().getSimpleName()
                    + (message == null ? "" : " " + message));
        }
    }

    private synchronized HttpClient client() throws SourceUnreachable {
        if (closed) {
            throw new SourceUnreachable("the prober is closed");
        }
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        }
        return http;
    }

    /** Abandons probes in flight. */
    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            http.shutdownNow();
        }
    }
}
