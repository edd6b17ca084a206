package io.berth.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.BerthProcess;
import io.berth.testing.Htpasswd;
import io.berth.testing.RegistryHttp;
import io.berth.testing.StalledConnections;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nothing a client sends can exhaust the heap: Berth runs as a separate process with the
 * launcher's memory settings (a 96 MiB heap, exit on {@code OutOfMemoryError}), and for each kind
 * of request that carries a body, 2,000 connections send the head and part of the body and then
 * stall, anonymously and with credentials. Meanwhile {@code GET /v2/} answers within a second;
 * then the limits on request bodies cut every stalled connection off, and Berth still serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StalledBodiesIT {
    private static final int CONNECTIONS = 2_000;
    private static final Duration MAX_LATENCY = Duration.ofSeconds(1);
    /** The idle timeout this test configures; {@link #CUT_OFF_WITHIN} leaves room for 2,000 answers on two cores. */
    private static final int IDLE_TIMEOUT_SECONDS = 5;
    private static final Duration CUT_OFF_WITHIN = Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 25);
    private static final String PASSWORD = "stalled-example-password";
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private static Path directory;
    private static BerthProcess berth;
    private static RegistryHttp http;
    private static String bearer;

    @BeforeAll
    static void start() throws Exception {
        directory = Files.createTempDirectory("berth-stalled-");
        Path htpasswd = Htpasswd.write(directory.resolve("htpasswd"), Map.of("pusher", PASSWORD));
        Path config = Files.writeString(directory.resolve("berth.yml"), """
                data-dir: %s
                access-log: false
                requests:
                  idle-timeout-seconds: %d
                auth:
                  htpasswd: %s
                  policy:
                    - repositories: "**"
                      anonymous: true
                      authenticated: true
                      actions: [pull]
                    - repositories: "**"
                      users: [pusher]
                      actions: [pull, push, promote]
                """.formatted(directory.resolve("data"), IDLE_TIMEOUT_SECONDS, htpasswd));
        berth = BerthProcess.startWithConfig(config, BerthProcess.launcherMemoryOptions());
        http = berth.http();
        HttpResponse<byte[]> token = http.send(http.request("/auth/token?service=berth&scope=repository:stalled/app:pull,push,promote")
                .header("Authorization", basic()).GET().build());
        assertThat(token.statusCode()).as(RegistryHttp.text(token)).isEqualTo(200);
        bearer = "Bearer " + RegistryHttp.json(token).path("token").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
        TestRegistry.deleteRecursively(directory);
    }

    @Test
    @Order(1)
    void anonymousTokenForms() throws Exception {
        holdAndCutOff("anonymous token form", index -> tokenForm());
    }

    @Test
    @Order(2)
    void tokenFormsWithBasicCredentials() throws Exception {
        holdAndCutOff("token form with Basic credentials", index -> tokenForm("Authorization: " + basic()));
    }

    @Test
    @Order(3)
    void anonymousPromotionBodies() throws Exception {
        holdAndCutOff("anonymous promotion", index -> promotion());
    }

    @Test
    @Order(4)
    void promotionBodiesOfAPermittedCaller() throws Exception {
        holdAndCutOff("promotion with a token", index -> promotion("Authorization: " + bearer));
    }

    @Test
    @Order(5)
    void anonymousManifestPuts() throws Exception {
        holdAndCutOff("anonymous manifest PUT", index -> manifest());
    }

    @Test
    @Order(6)
    void manifestPutsOfAPusher() throws Exception {
        holdAndCutOff("manifest PUT with a token", index -> manifest("Authorization: " + bearer));
    }

    @Test
    @Order(7)
    void anonymousBlobPatches() throws Exception {
        holdAndCutOff("anonymous blob PATCH", index -> blobPatch("/v2/stalled/app/blobs/uploads/unknown-" + index));
    }

    @Test
    @Order(8)
    void blobPatchesOfAPusherEachOnItsOwnSession() throws Exception {
        RegistryHttp pusher = http.withHeader("Authorization", bearer);
        List<String> sessions = new ArrayList<>(CONNECTIONS);
        for (int index = 0; index < CONNECTIONS; index++) {
            HttpResponse<byte[]> started = pusher.post("/v2/stalled/app/blobs/uploads/");
            assertThat(started.statusCode()).as(RegistryHttp.text(started)).isEqualTo(202);
            sessions.add(started.headers().firstValue("Location").orElseThrow());
        }
        holdAndCutOff("blob PATCH with a token", index -> blobPatch(sessions.get(index), "Authorization: " + bearer));
    }

    /**
     * Opens the stalled connections, checks that {@code /v2/} keeps answering quickly while they
     * stall, that every one of them is then answered or closed by the server's limits, and that
     * Berth still serves a push afterwards.
     */
    private static void holdAndCutOff(String kind, java.util.function.IntFunction<byte[]> request) throws Exception {
        long started = System.nanoTime();
        try (StalledConnections stalled = StalledConnections.open(berth.uri(), CONNECTIONS, request)) {
            Duration slowest = Duration.ZERO;
            for (int probe = 0; probe < 15; probe++) {
                slowest = max(slowest, timedBaseRequest());
                assertThat(berth.process().isAlive()).as("Berth is alive with %d stalled %s requests:%n%s",
                        CONNECTIONS, kind, berth.output()).isTrue();
                stalled.stillOpen();
                Thread.sleep(200);
            }
            Memory whileStalled = Memory.of(berth.process());
            long deadline = System.nanoTime() + CUT_OFF_WITHIN.toNanos();
            int open;
            while ((open = stalled.stillOpen()) > 0 && System.nanoTime() < deadline) {
                slowest = max(slowest, timedBaseRequest());
                assertThat(berth.process().isAlive()).as(berth.output()).isTrue();
                Thread.sleep(500);
            }
            System.out.printf("%s: %d connections; GET /v2/ at most %d ms; %s while stalled; all cut off after %d s; answers %s%n",
                    kind, CONNECTIONS, slowest.toMillis(), whileStalled,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), stalled.answers());
            assertThat(open).as("%s: connections the server had not cut off %s after they stalled (answers so far %s)",
                    kind, CUT_OFF_WITHIN, stalled.answers()).isZero();
            assertThat(slowest).as("%s: slowest GET /v2/", kind).isLessThan(MAX_LATENCY);
            assertThat(stalled.answers()).as("%s: no stalled request made the server fail: %s", kind, stalled.firstAnswerWith(500))
                    .doesNotContainKey(500);
        }
        assertStillServes();
    }

    private static void assertStillServes() {
        assertThat(berth.process().isAlive()).isTrue();
        assertThat(http.get("/berth/v1/health").statusCode()).isEqualTo(200);
        TestBlob blob = TestBlob.random(300_000, 13);
        assertThat(http.withHeader("Authorization", bearer).pushBlob("stalled/app", blob.content())).isEqualTo(blob.digest());
    }

    private static Duration timedBaseRequest() {
        long before = System.nanoTime();
        HttpResponse<byte[]> response = http.get("/v2/");
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertThat(response.statusCode()).isEqualTo(401);
        return took;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static byte[] tokenForm(String... headers) {
        String form = "grant_type=password&service=berth&client_id=stalled&username=pusher&scope="
                + "repository:stalled/app:pull".repeat(200);
        return StalledConnections.request(StalledConnections.head("POST", "/auth/token",
                with(headers, "Content-Type: application/x-www-form-urlencoded", "Content-Length: 60000")),
                form.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] promotion(String... headers) {
        String json = "{\"source\": \"stalled/app:1\", \"targets\": [" + "\"stalled/stable:1\", ".repeat(1500);
        return StalledConnections.request(StalledConnections.head("POST", "/berth/v1/promotions",
                with(headers, "Content-Type: application/json", "Content-Length: 60000")),
                json.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] manifest(String... headers) {
        String json = "{\"schemaVersion\": 2, \"mediaType\": \"" + MANIFEST_TYPE + "\", \"layers\": ["
                + "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar\", \"size\": 1, \"digest\": \"sha256:"
                + "0".repeat(64) + "\"}, ".repeat(300);
        return StalledConnections.request(StalledConnections.head("PUT", "/v2/stalled/app/manifests/latest",
                with(headers, "Content-Type: " + MANIFEST_TYPE, "Content-Length: 4000000")),
                json.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] blobPatch(String location, String... headers) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 7);
        return StalledConnections.request(StalledConnections.head("PATCH", location,
                with(headers, "Content-Type: application/octet-stream", "Content-Length: 10000000")), chunk);
    }

    private static String[] with(String[] headers, String... more) {
        String[] all = Arrays.copyOf(headers, headers.length + more.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("pusher:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /** The Berth process's resident memory and heap, as the operating system and {@code jcmd} report them. */
    private record Memory(long residentKibibytes, String heap) {
        static Memory of(Process process) throws IOException, InterruptedException {
            long resident = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                    .mapToLong(Long::parseLong).findFirst().orElse(-1);
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
            String heap = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            String summary = String.join("; ", heap.lines().filter(line -> line.contains("total") && line.contains("used"))
                    .map(line -> line.replaceAll("\\s*\\[.*", "").trim()).toList());
            return new Memory(resident, summary);
        }

        @Override
        public String toString() {
            return "resident " + residentKibibytes / 1024 + " MiB, heap " + heap;
        }
    }
}
