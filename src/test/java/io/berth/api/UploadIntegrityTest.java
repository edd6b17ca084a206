package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Content integrity of uploads against hostile or careless clients, over real sockets: whatever
 * requests race on one session, no blob is ever committed, nor served, under a digest its bytes do
 * not match. Every check ends by reading the blob back and hashing it.
 */
class UploadIntegrityTest {
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

    /**
     * Chunks that stream slowly hold the session's lock while others queue for it. A request naming
     * the session under another repository is answered without touching that lock, so it can never
     * make the queued chunks run under two locks at once: if it did, a later chunk would write over
     * bytes a slower one is still streaming, while the slower one's running hash would be kept and
     * trusted by the commit.
     */
    @Test
    void aRequestUnderAnotherRepositoryNeverLetsTwoChunksWriteOneSessionAtOnce() throws Exception {
        int half = 512 * 1024;
        byte[] first = TestBlob.random(2 * half, 31).content();
        byte[] second = TestBlob.random(2 * half, 32).content();
        byte[] third = TestBlob.random(half / 2, 33).content();
        String location = startUpload("integrity/victim");
        String foreign = location.replace("/v2/integrity/victim/", "/v2/integrity/elsewhere/");
        String thirdEarly;

        try (Socket one = connect(); Socket other = connect(); Socket two = connect(); Socket three = connect()) {
            send(one, patchHeader(location, Map.of("Content-Length", String.valueOf(first.length))), part(first, 0, half));
            Thread.sleep(300);
            send(other, patchHeader(foreign, Map.of("Content-Length", "1")), new byte[]{1});
            Thread.sleep(100);
            send(two, patchHeader(location, Map.of("Content-Length", String.valueOf(second.length))), part(second, 0, half));
            Thread.sleep(100);
            send(one, "", part(first, half, 2 * half));
            Thread.sleep(300);
            send(three, patchHeader(location, Map.of("Content-Length", String.valueOf(third.length))), third);
            three.setSoTimeout(1_000);
            thirdEarly = statusOrTimeout(three);
            send(two, "", part(second, half, 2 * half));

            assertThat(readResponse(one).status()).isEqualTo(202);
            assertThat(readResponse(other).status()).isEqualTo(404);
            assertThat(readResponse(two).status()).isEqualTo(202);
            three.setSoTimeout(10_000);
            if (thirdEarly.equals("timeout")) {
                assertThat(readResponse(three).status()).isEqualTo(202);
            }
        }
        Digest firstTwo = Digest.of(DigestAlgorithm.SHA256, concat(first, second));

        HttpResponse<byte[]> completion = http.put(location + "&digest=" + firstTwo, "application/octet-stream", new byte[0]);

        assertServedIntactOrAbsent("integrity/victim", firstTwo);
        assertThat(completion.statusCode()).as("the session holds all three chunks, not two").isEqualTo(400);
        assertThat(thirdEarly).as("the third chunk waits for the second").isEqualTo("timeout");
    }

    /**
     * A chunk that stalls holds its session; a request queued behind it waits a bounded time (and
     * with it the share of the body budget it reserved), then is told to retry.
     */
    @Test
    void aRequestQueuedBehindAStalledChunkIsToldToRetryInsteadOfWaitingForever() throws Exception {
        byte[] chunk = TestBlob.random(600_000, 39).content();
        String location = startUpload("integrity/stalled");
        try (Socket stalled = connect()) {
            send(stalled, patchHeader(location, Map.of("Content-Length", String.valueOf(chunk.length))), part(chunk, 0, 300_000));
            Thread.sleep(300);
            long before = System.nanoTime();

            HttpResponse<byte[]> queued = http.patch(location, new byte[]{1, 2, 3}, Map.of());

            long waitedMillis = (System.nanoTime() - before) / 1_000_000;
            assertThat(queued.statusCode()).isEqualTo(503);
            assertThat(RegistryHttp.errorCode(queued)).isEqualTo("UNAVAILABLE");
            assertThat(queued.headers().firstValue("Retry-After")).isPresent();
            assertThat(waitedMillis).as("waited for the session's lock, boundedly").isBetween(4_000L, 9_000L);
            stalled.getOutputStream().write(chunk, 300_000, 300_000);
            stalled.getOutputStream().flush();
            assertThat(readResponse(stalled).status()).isEqualTo(202);
        }
        assertThat(stagedSize(location)).isEqualTo(chunk.length);
    }

    /** Many clients race chunks onto one session; each chunk lands exactly where its 202 says. */
    @Test
    void racingChunksEachLandExactlyWhereTheirAnswerSays() throws Exception {
        String location = startUpload("integrity/race");
        TreeMap<Long, byte[]> accepted = new TreeMap<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                int seed = client;
                done.add(clients.submit(() -> {
                    for (int attempt = 0; attempt < 12; attempt++) {
                        byte[] chunk = TestBlob.random(4096 + seed * 100 + attempt, seed * 100 + attempt).content();
                        long offset = stagedSize(location);
                        HttpResponse<byte[]> answer = http.patch(location, chunk, Map.of(
                                "Content-Range", offset + "-" + (offset + chunk.length - 1)));
                        if (answer.statusCode() == 202) {
                            synchronized (accepted) {
                                accepted.put(offset, chunk);
                            }
                        } else {
                            assertThat(answer.statusCode()).isEqualTo(416);
                        }
                        if (seed % 2 == 0) {
                            http.get(location.replace("/integrity/race/", "/integrity/other/"));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (Map.Entry<Long, byte[]> chunk : accepted.entrySet()) {
            assertThat(chunk.getKey()).as("accepted chunks tile the upload").isEqualTo(expected.size());
            expected.writeBytes(chunk.getValue());
        }
        Digest digest = Digest.of(DigestAlgorithm.SHA256, expected.toByteArray());

        assertThat(http.put(location + "&digest=" + digest, "application/octet-stream", new byte[0]).statusCode())
                .isEqualTo(201);
        assertThat(http.get("/v2/integrity/race/blobs/" + digest).body()).isEqualTo(expected.toByteArray());
    }

    /**
     * Bytes staged beyond what the session recorded (a node stopped between writing a chunk and
     * recording it) are kept: a chunk at the recorded offset is told where the staging really ends.
     */
    @Test
    void aChunkThatDoesNotStartAtTheStagedEndIsRefusedAndNothingStagedIsLost() throws Exception {
        byte[] content = TestBlob.random(30_000, 34).content();
        String location = startUpload("integrity/offsets");
        assertThat(http.patch(location, Arrays.copyOfRange(content, 0, 10_000), Map.of("Content-Range", "0-9999"))
                .statusCode()).isEqualTo(202);
        Files.write(stagedFile(location), Arrays.copyOfRange(content, 10_000, 20_000), java.nio.file.StandardOpenOption.APPEND);

        HttpResponse<byte[]> atRecorded = http.patch(location, Arrays.copyOfRange(content, 10_000, 30_000),
                Map.of("Content-Range", "10000-29999"));
        HttpResponse<byte[]> rewind = http.patch(location, Arrays.copyOfRange(content, 0, 10_000),
                Map.of("Content-Range", "0-9999"));

        assertThat(atRecorded.statusCode()).isEqualTo(416);
        assertThat(atRecorded.headers().firstValue("Range")).contains("0-19999");
        assertThat(rewind.statusCode()).isEqualTo(416);
        assertThat(http.get(location).headers().firstValue("Range")).contains("0-19999");
        assertThat(Files.readAllBytes(stagedFile(location))).isEqualTo(Arrays.copyOfRange(content, 0, 20_000));
        assertThat(http.patch(location, Arrays.copyOfRange(content, 20_000, 30_000), Map.of("Content-Range", "20000-29999"))
                .statusCode()).isEqualTo(202);
        Digest digest = Digest.of(DigestAlgorithm.SHA256, content);
        assertThat(http.put(location + "&digest=" + digest, "application/octet-stream", new byte[0]).statusCode())
                .isEqualTo(201);
        assertThat(http.get("/v2/integrity/offsets/blobs/" + digest).body()).isEqualTo(content);
    }

    /** The running hash covers the bytes the registry staged; bytes changed behind its back are re-hashed. */
    @Test
    void stagedBytesReplacedAfterTheyWereHashedAreNeverCommittedUnderTheOldDigest() throws Exception {
        byte[] hashed = TestBlob.random(50_000, 35).content();
        byte[] replacement = TestBlob.random(50_000, 36).content();
        Digest digest = Digest.of(DigestAlgorithm.SHA256, hashed);
        String location = startUpload("integrity/replaced");
        assertThat(http.patch(location, hashed, Map.of("Content-Range", "0-49999")).statusCode()).isEqualTo(202);
        Path staged = stagedFile(location);
        Path other = staged.resolveSibling("other");
        Files.write(other, replacement);
        Files.move(other, staged, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        HttpResponse<byte[]> completion = http.put(location + "&digest=" + digest, "application/octet-stream", new byte[0]);

        assertThat(completion.statusCode()).isEqualTo(400);
        assertThat(RegistryHttp.errorCode(completion)).isEqualTo("DIGEST_INVALID");
        assertThat(http.head("/v2/integrity/replaced/blobs/" + digest).statusCode()).isEqualTo(404);
        assertServedIntactOrAbsent("integrity/replaced", digest);
    }

    /** A file already at a blob's path is not trusted: a verified push replaces it. */
    @Test
    void aDamagedFileAtTheBlobsPathIsReplacedByTheNextVerifiedPush() throws Exception {
        TestBlob blob = TestBlob.random(20_000, 37);
        Path file = registry.dataDir().resolve("blobs/sha256").resolve(blob.digest().encoded().substring(0, 2))
                .resolve(blob.digest().encoded());
        Files.createDirectories(file.getParent());
        Files.write(file, "not the blob".getBytes(StandardCharsets.UTF_8));

        http.pushBlob("integrity/damaged", blob.content());

        assertThat(http.get("/v2/integrity/damaged/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
        assertThat(file).hasBinaryContent(blob.content());
    }

    /** Staging that vanished (a node stopped while completing, or a cleared folder) ends the session everywhere alike. */
    @Test
    void aSessionWhoseStagedBytesVanishedIsUnknownToEveryRequest() throws Exception {
        byte[] content = TestBlob.random(10_000, 38).content();
        String location = startUpload("integrity/vanished");
        assertThat(http.patch(location, content, Map.of("Content-Range", "0-9999")).statusCode()).isEqualTo(202);
        TestRegistry.deleteRecursively(stagedFile(location).getParent());

        HttpResponse<byte[]> status = http.get(location);
        HttpResponse<byte[]> resume = http.patch(location, content, Map.of("Content-Range", "10000-19999"));
        HttpResponse<byte[]> restart = http.patch(location, content, Map.of("Content-Range", "0-9999"));
        HttpResponse<byte[]> complete = http.put(location + "&digest=" + Digest.of(DigestAlgorithm.SHA256, content),
                "application/octet-stream", new byte[0]);

        for (HttpResponse<byte[]> answer : List.of(status, resume, restart, complete)) {
            assertThat(answer.statusCode()).as(answer.request().method()).isEqualTo(404);
            assertThat(RegistryHttp.errorCode(answer)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        }
        assertThat(stagedFile(location).getParent()).doesNotExist();
        assertThat(http.get("/v2/").statusCode()).isEqualTo(200);
    }

    // --- helpers --------------------------------------------------------------------------------

    private static String startUpload(String repository) {
        HttpResponse<byte[]> started = http.post("/v2/" + repository + "/blobs/uploads/");
        assertThat(started.statusCode()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        return location.contains("?") ? location : location + "?";
    }

    private static long stagedSize(String location) {
        HttpResponse<byte[]> status = http.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        String range = status.headers().firstValue("Range").orElseThrow();
        return Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
    }

    private static Path stagedFile(String location) {
        String path = location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
        String id = path.substring(path.lastIndexOf('/') + 1);
        return registry.dataDir().resolve("uploads").resolve(id).resolve("data");
    }

    private static void assertServedIntactOrAbsent(String repository, Digest digest) {
        HttpResponse<byte[]> served = http.get("/v2/" + repository + "/blobs/" + digest);
        if (served.statusCode() == 200) {
            assertThat(Digest.of(digest.algorithm(), served.body())).as("bytes served for " + digest).isEqualTo(digest);
        } else {
            assertThat(served.statusCode()).isEqualTo(404);
        }
        Path file = registry.dataDir().resolve("blobs/sha256").resolve(digest.encoded().substring(0, 2))
                .resolve(digest.encoded());
        if (Files.exists(file)) {
            try {
                assertThat(Digest.of(digest.algorithm(), Files.readAllBytes(file))).isEqualTo(digest);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", registry.uri().getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String patchHeader(String location, Map<String, String> headers) {
        StringBuilder request = new StringBuilder("PATCH ").append(location.endsWith("?")
                ? location.substring(0, location.length() - 1) : location).append(" HTTP/1.1\r\nHost: x\r\n")
                .append("Content-Type: application/octet-stream\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        return request.append("\r\n").toString();
    }

    private static void send(Socket socket, String header, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static byte[] part(byte[] content, int from, int to) {
        return Arrays.copyOfRange(content, from, to);
    }

    private static String statusOrTimeout(Socket socket) throws IOException {
        try {
            return String.valueOf(readResponse(socket).status());
        } catch (SocketTimeoutException e) {
            return "timeout";
        }
    }

    record RawResponse(int status, String head) {
    }

    /** Reads one response's status line and headers, and its body when it declares a length. */
    private static RawResponse readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(next);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(text.substring(9, 12));
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return new RawResponse(status, text);
    }
}
