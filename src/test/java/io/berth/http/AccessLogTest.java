package io.berth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The access log over a real Jetty server: the text and JSON formats, the request id in the JSON
 * record and the response header, no lost lines, and no waiting on the output.
 */
class AccessLogTest {
    private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z 127\\.0\\.0\\.1 - GET /v2/[^ ]* 200 2 \\d+\\.\\d{3}ms";

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void jsonRecordsAreOneObjectPerLineWithTheIdTheClientWasSent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> ids = new ArrayList<>();
        try (AccessLog log = start(out, AccessLog.Format.JSON)) {
            for (String path : List.of("/v2/", "/v2/library/tags/list?n=5&password=hunter2")) {
                HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path))
                        .header(RequestIds.HEADER, "chosen-by-the-client"));
                ids.add(response.headers().firstValue(RequestIds.HEADER).orElseThrow());
            }
            awaitLines(() -> out.toString(StandardCharsets.UTF_8), 2);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(List.of("time", "client", "principal", "method", "path", "status", "bytes", "duration_ms", "request_id"),
                iterate(first.fieldNames()));
        assertTrue(first.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), lines.get(0));
        assertEquals("127.0.0.1", first.get("client").asText());
        assertTrue(first.get("principal").isNull(), lines.get(0));
        assertEquals("GET", first.get("method").asText());
        assertEquals("/v2/", first.get("path").asText());
        assertEquals(200, first.get("status").asInt());
        assertEquals(2, first.get("bytes").asLong());
        assertTrue(first.get("duration_ms").isNumber(), lines.get(0));
        assertEquals("/v2/library/tags/list?n=5&password=REDACTED", JSON.readTree(lines.get(1)).get("path").asText());
        assertTrue(ids.getFirst().matches("[0-9a-f]{16}"), ids.getFirst());
        assertTrue(!ids.getFirst().equals(ids.getLast()), "a new id for every request");
        assertEquals(ids, lines.stream().map(line -> readTree(line).get("request_id").asText()).toList());
    }

    @Test
    void jsonRecordsGiveBackAHostilePrincipalAndPathExactlyOnOneAsciiLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String principal = "mallory\"}\n{\"principal\":\"admin\u2028\u202e\\\u00e9\u0000";
        // Jetty refuses such characters in the path itself, and all control characters, but lets them pass in the query.
        String path = "/v2/x?q=\"},{\"status\":200\\caf\u00e9\u2028\u202egnp.exe";
        try (AccessLog log = start(out, AccessLog.Format.JSON)) {
            get("/v2/?as=" + java.net.URLEncoder.encode(principal, StandardCharsets.UTF_8));
            rawGet(path);
            awaitLines(() -> out.toString(StandardCharsets.UTF_8), 2);
        }
        String written = out.toString(StandardCharsets.UTF_8);
        List<String> lines = written.lines().toList();
        assertEquals(2, lines.size(), written);
        assertTrue(written.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), "printable ASCII only: " + written);
        assertEquals(principal, JSON.readTree(lines.get(0)).get("principal").asText());
        assertEquals(path, JSON.readTree(lines.get(1)).get("path").asText());
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
        return start(out, AccessLog.Format.TEXT);
    }

    private AccessLog start(OutputStream out, AccessLog.Format format) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new RequestIds(new Handler.Abstract() {
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
        }));
        AccessLog log = new AccessLog(out, ClientAddresses.trustingNoProxy(), format);
        server.setRequestLog(log);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return log;
    }

    private Void get(String path) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve(path)));
        return null;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response;
    }

    /** Sends {@code GET path} as raw UTF-8 bytes on a socket, as no well-behaved client would, and expects a 200. */
    private void rawGet(String path) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        }
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
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
