package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input over raw sockets: truncated bodies, clients that vanish mid-upload, oversized headers,
 * path tricks. Each gets an error or a closed connection, nothing half-written becomes visible,
 * and the server keeps serving.
 */
class ResilienceTest {
    private static TestRegistry registry;
    private static RegistryHttp http;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
        http = registry.http();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aTruncatedMonolithicUploadLeavesNoBlob() throws Exception {
        TestBlob blob = TestBlob.random(100_000, 1);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/truncated/blobs/uploads/?digest=" + blob.digest() + " HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(blob.content(), 0, 40_000);
            out.flush();
            socket.shutdownOutput();
            drain(socket.getInputStream());
        }

        awaitHealthy();
        assertThat(http.head("/v2/truncated/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertThat(blobFiles()).noneMatch(path -> path.endsWith(blob.digest().encoded()));
    }

    @Test
    void aClientVanishingMidChunkLeavesTheSessionWhereItWas() throws Exception {
        TestBlob blob = TestBlob.random(60_000, 2);
        String location = http.post("/v2/vanish/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        http.patch(location, java.util.Arrays.copyOfRange(blob.content(), 0, 20_000), java.util.Map.of("Content-Range", "0-19999"));

        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Range: 20000-59999\r\nContent-Length: 40000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(blob.content(), 20_000, 15_000);
            out.flush();
        }

        awaitRange(location, "0-19999");
        http.patch(location, java.util.Arrays.copyOfRange(blob.content(), 20_000, 60_000),
                java.util.Map.of("Content-Range", "20000-59999"));
        assertThat(http.put(location + "?digest=" + blob.digest(), "application/octet-stream", new byte[0]).statusCode())
                .isEqualTo(201);
        assertThat(http.get("/v2/vanish/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void oversizedHeadersAre431AndTheServerKeepsServing() throws Exception {
        String response;
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        }

        assertThat(response).isEqualTo("HTTP/1.1 431");
        awaitHealthy();
    }

    @Test
    void encodedPathTricksNeverReachStorage() throws Exception {
        for (String path : new String[]{"/v2/..%2F..%2Fetc/tags/list", "/v2/%2e%2e/x/tags/list", "/v2/a%00b/tags/list"}) {
            String status;
            try (Socket socket = connect()) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            }
            assertThat(status).as(path).matches("HTTP/1.1 4\\d\\d");
        }
        awaitHealthy();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", registry.uri().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void drain(InputStream in) {
        try {
            in.readAllBytes();
        } catch (IOException e) {
            // The server may reset the connection; either way the request is over.
        }
    }

    private static void awaitHealthy() {
        assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
    }

    /** The server notices a vanished client asynchronously; wait until the session is rolled back. */
    private static void awaitRange(String location, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String range = null;
        while (System.nanoTime() < deadline) {
            range = http.get(location).headers().firstValue("Range").orElse(null);
            if (expected.equals(range)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(range).isEqualTo(expected);
    }

    private static Stream<Path> blobFiles() throws IOException {
        try (Stream<Path> files = Files.walk(registry.dataDir().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).toList().stream();
        }
    }
}
