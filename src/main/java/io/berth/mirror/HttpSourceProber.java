package io.berth.mirror;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes a source with {@code HEAD <base>berth-sync/generation} ({@link SyncIndex#GENERATION_FILE}),
 * a file of a few bytes every copy of the tree holds. Any answer below 500 counts as reachable (a
 * redirect is not followed); a refused or reset connection, no answer within the timeout, or a
 * server error counts as a failure.
 *
 * <p>The timeout is a hard deadline on the whole probe: resolving the source's host name,
 * connecting and waiting for the answer. The HTTP client's own timeouts do not cover a name lookup
 * that hangs (a resolver that never answers), so the probe runs on a thread of its own and is
 * abandoned, and counted as a failure, when the deadline passes.
 */
public final class HttpSourceProber implements SourceProber, AutoCloseable {
    /** Sends one probe request and returns the answer's status. */
    @FunctionalInterface
    interface Exchange {
        int status(HttpRequest request) throws IOException, InterruptedException, SourceUnreachable;
    }

    private final Duration timeout;
    private final Exchange exchange;
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    /** Made at the first probe: a registry that sends no client anywhere never opens an HTTP client. */
    private HttpClient http;
    private boolean closed;

    public HttpSourceProber(Duration timeout) {
        this.timeout = timeout;
        this.exchange = request -> client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A prober whose requests {@code exchange} sends, for tests of the deadline. */
    HttpSourceProber(Duration timeout, Exchange exchange) {
        this.timeout = timeout;
        this.exchange = exchange;
    }

    @Override
    public void check(URI base) throws SourceUnreachable, InterruptedException {
        URI uri = base.resolve(SyncIndex.GENERATION_FILE);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        Future<Integer> answer = submit(request);
        int status;
        try {
            status = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            answer.cancel(true);
            throw noAnswer(uri);
        } catch (InterruptedException interrupted) {
            answer.cancel(true);
            throw interrupted;
        } catch (ExecutionException failed) {
            throw failure(uri, failed.getCause());
        }
        if (status >= 500) {
            throw new SourceUnreachable("HEAD " + uri + " answered " + status);
        }
    }

    private synchronized Future<Integer> submit(HttpRequest request) throws SourceUnreachable {
        if (closed) {
            throw new SourceUnreachable("the prober is closed");
        }
        return probes.submit(() -> exchange.status(request));
    }

    private SourceUnreachable noAnswer(URI uri) {
        return new SourceUnreachable("HEAD " + uri + " got no answer within " + timeout.toMillis() + " ms");
    }

    private SourceUnreachable failure(URI uri, Throwable cause) {
        if (cause instanceof SourceUnreachable unreachable) {
            return unreachable;
        }
        if (cause instanceof HttpTimeoutException) {
            return noAnswer(uri);
        }
        String message = cause.getMessage();
        return new SourceUnreachable("HEAD " + uri + " failed: " + cause.getClass().getSimpleName()
                + (message == null ? "" : " " + message));
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
        probes.shutdownNow();
        if (http != null) {
            http.shutdownNow();
        }
    }
}
