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

/**
 * Berth as a separate process with the launcher's memory settings (a 96 MiB heap, exit on
 * {@code OutOfMemoryError}) and authentication, for tests in which 2,000 connections at a time send
 * the head and part of a body and then stall: {@link #holdAndCutOff} checks that {@code GET /v2/}
 * answers within a second meanwhile, that the limits on request bodies then cut every stalled
 * connection off, and that Berth still serves a push.
 */
final class StalledBodiesFixture implements AutoCloseable {
    static final int CONNECTIONS = 2_000;
    private static final Duration MAX_LATENCY = Duration.ofSeconds(1);
    /** The idle timeout this test configures; {@link #CUT_OFF_WITHIN} leaves room for 2,000 answers on two cores. */
    private static final int IDLE_TIMEOUT_SECONDS = 5;
    private static final Duration CUT_OFF_WITHIN = Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 25);
    private static final String PASSWORD = "stalled-example-password";
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private final Path directory;
    private final BerthProcess berth;
    private final RegistryHttp http;
    private final String bearer;
    private final String adminBearer;

    private StalledBodiesFixture(Path directory, BerthProcess berth, String bearer, String adminBearer) {
        this.directory = directory;
        this.berth = berth;
        this.http = berth.http();
        this.bearer = bearer;
        this.adminBearer = adminBearer;
    }

    /**
     * Starts Berth with user {@code pusher} allowed to pull, push and promote everywhere, and user
     * {@code keeper} administering the registry.
     */
    static StalledBodiesFixture start() throws Exception {
        Path directory = Files.createTempDirectory("berth-stalled-");
        Path htpasswd = Htpasswd.write(directory.resolve("htpasswd"), Map.of("pusher", PASSWORD, "keeper", PASSWORD));
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
                    - repositories: "**"
                      users: [keeper]
                      actions: [admin]
                """.formatted(directory.resolve("data"), IDLE_TIMEOUT_SECONDS, htpasswd));
        BerthProcess berth = BerthProcess.startWithConfig(config, BerthProcess.launcherMemoryOptions());
        try {
            RegistryHttp http = berth.http();
            String pusher = token(http, "pusher", "repository:stalled/app:pull,push,promote");
            String keeper = token(http, "keeper", "repository:stalled/app:pull");
            return new StalledBodiesFixture(directory, berth, pusher, keeper);
        } catch (RuntimeException | AssertionError e) {
            berth.close();
            TestRegistry.deleteRecursively(directory);
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            berth.close();
        } finally {
            TestRegistry.deleteRecursively(directory);
        }
    }

    /** The {@code Authorization} header of user {@code pusher}'s token. */
    String bearer() {
        return bearer;
    }

    /** The {@code Authorization} header of registry admin {@code keeper}'s token. */
    String adminBearer() {
        return adminBearer;
    }

    /** A {@code Bearer} header value for {@code user}, from the token endpoint. */
    private static String token(RegistryHttp http, String user, String scope) {
        HttpResponse<byte[]> token = http.send(http.request("/auth/token?service=berth&scope=" + scope)
                .header("Authorization", basic(user)).GET().build());
        assertThat(token.statusCode()).as(RegistryHttp.text(token)).isEqualTo(200);
        return "Bearer " + RegistryHttp.json(token).path("token").asText();
    }

    RegistryHttp http() {
        return http;
    }

    /** {@code count} upload sessions opened by {@code pusher}, by their {@code Location}. */
    List<String> uploadSessions(int count) {
        RegistryHttp pusher = http.withHeader("Authorization", bearer);
        List<String> sessions = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            HttpResponse<byte[]> started = pusher.post("/v2/stalled/app/blobs/uploads/");
            assertThat(started.statusCode()).as(RegistryHttp.text(started)).isEqualTo(202);
            sessions.add(started.headers().firstValue("Location").orElseThrow());
        }
        return sessions;
    }

    /**
     * Opens the stalled connections, checks that {@code /v2/} keeps answering quickly while they
     * stall, that every one of them is then answered or closed by the server's limits, and that
     * Berth still serves a push afterwards.
     */
    void holdAndCutOff(String kind, java.util.function.IntFunction<byte[]> request) throws Exception {
        long opening = System.nanoTime();
        try (StalledConnections stalled = StalledConnections.open(berth.uri(), CONNECTIONS, request)) {
            long stalledSince = System.nanoTime();
            Duration slowest = Duration.ZERO;
            for (int probe = 0; probe < 10; probe++) {
                slowest = max(slowest, timedBaseRequest());
                assertThat(berth.process().isAlive()).as("Berth is alive with %d stalled %s requests:%n%s",
                        CONNECTIONS, kind, berth.output()).isTrue();
                stalled.stillOpen();
                Thread.sleep(200);
            }
            Memory whileStalled = Memory.of(berth.process());
            long deadline = stalledSince + CUT_OFF_WITHIN.toNanos();
            int open;
            while ((open = stalled.stillOpen()) > 0 && System.nanoTime() < deadline) {
                slowest = max(slowest, timedBaseRequest());
                assertThat(berth.process().isAlive()).as(berth.output()).isTrue();
                Thread.sleep(250);
            }
            System.out.printf("%s: %d connections opened in %d ms; GET /v2/ at most %d ms; while stalled %s;"
                            + " all cut off %d s after they stalled; answers %s%n",
                    kind, CONNECTIONS, TimeUnit.NANOSECONDS.toMillis(stalledSince - opening), slowest.toMillis(), whileStalled,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stalledSince), stalled.answers());
            assertThat(open).as("%s: connections the server had not cut off %s after they stalled (answers so far %s)",
                    kind, CUT_OFF_WITHIN, stalled.answers()).isZero();
            assertThat(slowest).as("%s: slowest GET /v2/", kind).isLessThan(MAX_LATENCY);
            assertThat(stalled.answers()).as("%s: no stalled request made the server fail: %s", kind, stalled.firstAnswerWith(500))
                    .doesNotContainKey(500);
        }
        assertStillServes();
    }

    /**
     * Sends complete manifest bodies shaped to expand into large trees, {@code concurrency} at a
     * time, {@code rounds} each, while checking that {@code GET /v2/} keeps answering within a
     * second; every one must be refused with {@code 400 MANIFEST_INVALID}, and Berth must serve on.
     */
    void refuseExpansionShapedManifests(List<byte[]> bodies, int concurrency, int rounds) throws Exception {
        RegistryHttp pusher = http.withHeader("Authorization", bearer);
        Duration slowest = Duration.ZERO;
        Map<Integer, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
        try (var senders = java.util.concurrent.Executors.newFixedThreadPool(concurrency)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int sender = 0; sender < concurrency; sender++) {
                int first = sender;
                done.add(senders.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        byte[] body = bodies.get((first + round) % bodies.size());
                        HttpResponse<byte[]> answer = pusher.put("/v2/stalled/app/manifests/expansion", MANIFEST_TYPE, body);
                        answers.merge(answer.statusCode(), 1, Integer::sum);
                        if (answer.statusCode() == 400) {
                            assertThat(RegistryHttp.errorCode(answer)).isEqualTo("MANIFEST_INVALID");
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                while (!future.isDone()) {
                    slowest = max(slowest, timedBaseRequest());
                    assertThat(berth.process().isAlive()).as(berth.output()).isTrue();
                    Thread.sleep(100);
                }
                future.get();
            }
        }
        Memory after = Memory.of(berth.process());
        System.out.printf("expansion-shaped manifests: %d bodies of up to %d bytes, %d at a time; GET /v2/ at most %d ms;"
                        + " after %s; answers %s%n",
                concurrency * rounds, bodies.stream().mapToInt(body -> body.length).max().orElse(0), concurrency,
                slowest.toMillis(), after, answers);
        assertThat(answers.keySet()).as("every expansion-shaped manifest is refused as invalid (503: the body budget was full)")
                .isSubsetOf(400, 503).contains(400);
        assertThat(slowest).as("slowest GET /v2/").isLessThan(MAX_LATENCY);
        assertStillServes();
    }

    /** Manifest bodies under the 4 MiB limit that would expand into trees many times their size. */
    static List<byte[]> expansionShapedManifests() {
        int budget = 3 * 1024 * 1024;
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"layers\":";
        String zeros = head + "[" + "0,".repeat((budget - head.length()) / 2) + "0]}";
        String objects = head + "[" + "{},".repeat((budget - head.length()) / 3) + "{}]}";
        String nested = head + "[".repeat(budget / 2 - head.length()) + "]".repeat(budget / 2 - head.length()) + "}";
        String annotations = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"annotations\":{"
                + java.util.stream.IntStream.range(0, budget / 16).mapToObj(index -> "\"k" + index + "\":\"\"")
                .collect(java.util.stream.Collectors.joining(",")) + "}}";
        return List.of(zeros, objects, nested, annotations).stream()
                .map(json -> json.getBytes(StandardCharsets.US_ASCII)).toList();
    }

    private void assertStillServes() {
        assertThat(berth.process().isAlive()).isTrue();
        assertThat(http.get("/berth/v1/health").statusCode()).isEqualTo(200);
        TestBlob blob = TestBlob.random(300_000, 13);
        assertThat(http.withHeader("Authorization", bearer).pushBlob("stalled/app", blob.content())).isEqualTo(blob.digest());
    }

    private Duration timedBaseRequest() {
        long before = System.nanoTime();
        HttpResponse<byte[]> response = http.get("/v2/");
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertThat(response.statusCode()).isEqualTo(401);
        return took;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static byte[] tokenForm(String... headers) {
        String form = "grant_type=password&service=berth&client_id=stalled&username=pusher&scope="
                + "repository:stalled/app:pull+".repeat(140);
        // Within the form limit, so that the server reads it and waits for the rest.
        return StalledConnections.request(StalledConnections.head("POST", "/auth/token",
                with(headers, "Content-Type: application/x-www-form-urlencoded", "Content-Length: 8000")),
                form.getBytes(StandardCharsets.US_ASCII));
    }

    /** A web interface form ({@code /ui/sign-in}, {@code /ui/promotions}) within the form limit, stalled. */
    static byte[] webForm(String path, String... headers) {
        String form = "username=stalled&password=" + "x".repeat(4000);
        return StalledConnections.request(StalledConnections.head("POST", path,
                with(headers, "Content-Type: application/x-www-form-urlencoded", "Content-Length: 8000")),
                form.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] promotion(String... headers) {
        String json = "{\"source\": \"stalled/app:1\", \"targets\": [" + "\"stalled/stable:1\", ".repeat(1500);
        return StalledConnections.request(StalledConnections.head("POST", "/berth/v1/promotions",
                with(headers, "Content-Type: application/json", "Content-Length: 60000")),
                json.getBytes(StandardCharsets.US_ASCII));
    }

    /** A switch of the maintenance mode, within its 1 KiB limit, stalled after its first bytes. */
    static byte[] maintenanceSwitch(String... headers) {
        return StalledConnections.request(StalledConnections.head("PUT", "/berth/v1/maintenance",
                with(headers, "Content-Type: application/json", "Content-Length: 1000")),
                "{\"read-only\": ".getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] manifest(String... headers) {
        String json = "{\"schemaVersion\": 2, \"mediaType\": \"" + MANIFEST_TYPE + "\", \"layers\": ["
                + "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar\", \"size\": 1, \"digest\": \"sha256:"
                + "0".repeat(64) + "\"}, ".repeat(300);
        return StalledConnections.request(StalledConnections.head("PUT", "/v2/stalled/app/manifests/latest",
                with(headers, "Content-Type: " + MANIFEST_TYPE, "Content-Length: 4000000")),
                json.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] blobPatch(String location, String... headers) {
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

    static String basic() {
        return basic("pusher");
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The Berth process's resident memory (from {@code /proc}) and its heap after a full collection
     * (from {@code jcmd}): what the stalled connections really keep alive.
     */
    private record Memory(long residentKibibytes, String liveHeap) {
        static Memory of(Process process) throws IOException, InterruptedException {
            long resident = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                    .mapToLong(Long::parseLong).findFirst().orElse(-1);
            jcmd(process, "GC.run");
            String heap = jcmd(process, "GC.heap_info");
            String summary = String.join("; ", heap.lines().filter(line -> line.contains("total") && line.contains("used"))
                    .map(line -> line.replaceAll("\\s*\\[.*", "").replaceAll("\\s+", " ").trim()).toList());
            return new Memory(resident, summary);
        }

        private static String jcmd(Process process, String command) throws IOException, InterruptedException {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), command).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return output;
        }

        @Override
        public String toString() {
            return "resident " + residentKibibytes / 1024 + " MiB, heap after a full collection: " + liveHeap;
        }
    }
}
