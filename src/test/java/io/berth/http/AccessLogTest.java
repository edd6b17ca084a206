package io.berth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.mirror.ClientAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The access log over a real Jetty server: the line format, no lost lines, and no waiting on the output. */
class AccessLogTest {
    private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z 127\\.0\\.0\\.1 - GET /v2/[^ ]* 200 2 \\d+\\.\\d{3}ms";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Server server;
    private URI base;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        client.close();
    }

    @Test
    void credentialsAClientPutsInTheQueryAreNeverLogged() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AccessLog log = start(out)) {
            get("/v2/token?service=berth&password=hunter2-secret&Refresh_Token=refresh-secret&pass%77ord=encoded-secret&scope=x");
            awaitLines(() -> out.toString(StandardCharsets.UTF_8), 1);
        }
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains(" GET /v2/token?service=berth&password=REDACTED&Refresh_Token=REDACTED"
                + "&pass%77ord=REDACTED&scope=x 200 "), line);
        assertTrue(!line.contains("secret"), line);
        assertEquals("a=%zz&token=REDACTED&&b", AccessLog.redacted("a=%zz&token=t&&b"));
    }

    @Test
    void writesOneLinePerRequestWithTimeClientMethodPathStatusBytesAndDuration() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AccessLog log = start(out)) {
            get("/v2/");
            get("/v2/library/tags/list?n=5");
            awaitLines(() -> out.toString(StandardCharsets.UTF_8), 2);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches(LINE), lines.get(0));
        assertTrue(lines.get(0).contains(" GET /v2/ 200 "), lines.get(0));
        assertTrue(lines.get(1).contains(" GET /v2/library/tags/list?n=5 200 "), lines.get(1));
    }

    @Test
    void namesThePrincipalAndNoNameCanForgeALineOrAField() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String forged = "mallory\n2026-12-05T00:00:00.000Z 10.0.0.1 admin DELETE /v2/app/manifests/1 202 0 1.000ms\u202e";
        try (AccessLog log = start(out)) {
            get("/v2/?as=robot%24osbs");
            get("/v2/forged?as=" + java.net.URLEncoder.encode(forged, StandardCharsets.UTF_8));
            awaitLines(() -> out.toString(StandardCharsets.UTF_8), 2);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(" 127.0.0.1 robot$osbs GET /v2/?as=robot%24osbs 200 "), lines.get(0));
        assertTrue(lines.get(1).contains(" 127.0.0.1 mallory\\u000a2026-12-05T00:00:00.000Z_10.0.0.1_admin_DELETE_"), lines.get(1));
        assertTrue(lines.get(1).contains("1.000ms\\u202e GET /v2/forged?as="), lines.get(1));
        assertEquals(8, lines.get(1).split(" ").length, "eight fields: " + lines.get(1));
    }

    @Test
    void keepsEveryLineFromConcurrentRequests() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int requests = 400;
        try (AccessLog log = start(out); var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String path = "/v2/repo/manifests/" + i;
                done.add(pool.submit(() -> get(path)));
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
            awaitLines(() -> out.toString(StandardCharsets.UTF_8), requests);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(requests, lines.size());
        assertTrue(lines.stream().allMatch(line -> line.matches(LINE)), "every line is whole");
        for (int i = 0; i < requests; i++) {
            String suffix = " GET /v2/repo/manifests/" + i + " 200 ";
            assertEquals(1, lines.stream().filter(line -> line.contains(suffix)).count(), suffix);
        }
    }

    @Test
    void requestsDoNotWaitForAStuckOutput() throws Exception {
        StuckOutput out = new StuckOutput();
        AccessLog log = start(out);
        try {
            // The first line reaches the writer thread, which then hangs in write(); the requests
            // after it are answered all the same, and their lines wait in memory.
            get("/v2/");
            assertTrue(out.writing.await(5, TimeUnit.SECONDS), "the writer reached the output");
            for (int i = 0; i < 50; i++) {
                get("/v2/after/" + i);
            }
        } finally {
            out.release.countDown();
            awaitLines(out::written, 51);
            log.close();
        }
        List<String> lines = out.written().lines().toList();
        assertEquals(51, lines.size());
        assertTrue(lines.getLast().contains(" GET /v2/after/49 200 "), lines.getLast());
    }

    /**
     * Waits until {@code count} lines are written, or 10 s. Jetty logs a request just after its
     * answer is sent, so a client can see the answer before the line is queued.
     */
    private static void awaitLines(java.util.function.Supplier<String> written, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (written.get().lines().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private AccessLog start(OutputStream out) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String principal = Request.extractQueryParameters(request).getValue("as");
                if (principal != null) {
                    request.setAttribute(AccessLog.PRINCIPAL, principal);
                }
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        AccessLog log = new AccessLog(out, ClientAddresses.trustingNoProxy());
        server.setRequestLog(log);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return log;
    }

    private Void get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return null;
    }

    /** An output whose first write blocks until released, like a full disk or a stopped pipe reader. */
    private static final class StuckOutput extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            synchronized (bytes) {
                bytes.write(data, offset, length);
            }
        }

        String written() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
