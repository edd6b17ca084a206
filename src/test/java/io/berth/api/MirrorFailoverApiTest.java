package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.BerthConfig;
import io.berth.config.MirrorConfig;
import io.berth.config.MirrorsConfig;
import io.berth.mirror.ExportProgress;
import io.berth.mirror.SourceHealth;
import io.berth.oci.Digest;
import io.berth.server.MirrorTools;
import io.berth.testing.RegistryHttp;
import io.berth.testing.StaticFileMirror;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover from a mirror that stops, over real sockets: mirrors and the CDN are static file servers
 * over an exported tree, the client is placed by a trusted proxy's {@code X-Forwarded-For}, and the
 * registry probes every second, opening a breaker after two failures of at most a second each. The
 * time from stopping a server to the first client sent elsewhere is measured against the bound
 * {@link SourceHealth.Settings#failoverBound()} states (here 4.5 s).
 *
 * <pre>
 * source   networks        url
 * near     10.20.0.0/16    its own file server
 * far      -               its own file server
 * cdn      -               its own file server
 * </pre>
 */
class MirrorFailoverApiTest {
    private static final InetAddress TRUSTED_PROXY = address("127.0.0.2");
    private static final String REPOSITORY = "fedora/app";
    private static final String NEAR_CLIENT = "10.20.1.5";
    private static final SourceHealth.Settings PROBES = new SourceHealth.Settings(Duration.ofSeconds(1), 2, Duration.ofSeconds(1));

    @TempDir
    Path temporary;

    private Path tree;
    private StaticFileMirror near;
    private StaticFileMirror far;
    private StaticFileMirror cdn;
    private TestRegistry registry;
    private RegistryHttp direct;
    private final TestBlob layer = TestBlob.random(20_000, 43);

    @BeforeEach
    void start() throws IOException {
        tree = Files.createDirectories(temporary.resolve("tree"));
        near = StaticFileMirror.serve(tree);
        far = StaticFileMirror.serve(tree);
        cdn = StaticFileMirror.serve(tree);
        List<MirrorConfig> mirrors = List.of(
                new MirrorConfig("near", near.uri().toString(), "DE", null, List.of("10.20.0.0/16"), null, 1000, null, null, null),
                new MirrorConfig("far", far.uri().toString(), "US", null, null, null, 1000, null, null, null));
        MirrorsConfig settings = new MirrorsConfig(cdn.uri().toString(), null, 3600, false, 5, 2, 3600, null, null, mirrors)
                .withProbes((int) PROBES.interval().toSeconds(), PROBES.failuresToOpen(), (int) PROBES.timeout().toSeconds());
        registry = TestRegistry.start(config -> config.withTrustedProxies(List.of("127.0.0.2/32")).withMirrors(settings));
        direct = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
        List.of(near, far, cdn).forEach(StaticFileMirror::close);
    }

    @Test
    void aStoppedMirrorsClientsGoToAnotherMirrorWithinTheBound() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();
        assertThat(location(viaProxy(NEAR_CLIENT).get(blobPath(digest)))).startsWith(near.uri().toString());
        awaitProbed("near");

        near.close();
        Duration failover = timeUntil(digest, location -> !location.startsWith(near.uri().toString()));

        System.out.printf("a stopped mirror's clients went elsewhere after %d ms (bound %d ms)%n",
                failover.toMillis(), PROBES.failoverBound().toMillis());
        assertThat(failover).isLessThanOrEqualTo(PROBES.failoverBound());
        for (int i = 0; i < 10; i++) {
            assertThat(location(viaProxy(NEAR_CLIENT).get(blobPath(digest)))).startsWith(far.uri().toString());
        }
        JsonNode stopped = mirror("near");
        assertThat(stopped.path("reachable").asBoolean()).isFalse();
        assertThat(stopped.path("openSince").isTextual()).isTrue();
        assertThat(stopped.path("lastProbeError").asText()).contains("berth-sync/generation");
        assertThat(stopped.path("stale").asBoolean()).as("no crawl ran: only this node's probes know").isFalse();
        assertThat(mirror("far").path("reachable").asBoolean()).isTrue();
        JsonNode choice = choice(NEAR_CLIENT, digest);
        assertThat(choice.path("mirror").asText()).isEqualTo("far");
        assertThat(choice.path("unreachable")).extracting(node -> node.path("mirror").asText()).containsExactly("near");
    }

    @Test
    void aMirrorThatAnswersAgainGetsItsClientsBackAtItsNextProbe() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();
        viaProxy(NEAR_CLIENT).get(blobPath(digest));
        awaitProbed("near");
        near.close();
        timeUntil(digest, location -> location.startsWith(far.uri().toString()));

        near = StaticFileMirror.serve(tree, near.uri().getPort());
        Duration recovery = timeUntil(digest, location -> location.startsWith(near.uri().toString()));

        System.out.printf("a restarted mirror got clients again after %d ms%n", recovery.toMillis());
        // Restarted about when it was found unreachable: its first retry (one interval later) closes it, or on a slow
        // machine the second (two more), each taking at most a timeout and waiting a tick to start.
        assertThat(recovery).isLessThanOrEqualTo(PROBES.interval().multipliedBy(3).plus(PROBES.timeout()).plus(PROBES.tick()));
        assertThat(mirror("near").path("reachable").asBoolean()).isTrue();
        assertThat(mirror("near").path("openSince").isNull()).isTrue();
    }

    @Test
    void withEveryMirrorAndTheCdnStoppedBerthServesTheBytesWithinTheBound() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();
        viaProxy(NEAR_CLIENT).get(blobPath(digest));
        awaitProbed("near");

        List.of(near, far, cdn).forEach(StaticFileMirror::close);
        long started = System.nanoTime();
        HttpResponse<byte[]> response = viaProxy(NEAR_CLIENT).get(blobPath(digest));
        while (response.statusCode() == 302 && System.nanoTime() - started < PROBES.failoverBound().multipliedBy(4).toNanos()) {
            Thread.sleep(50);
            response = viaProxy(NEAR_CLIENT).get(blobPath(digest));
        }
        Duration failover = Duration.ofNanos(System.nanoTime() - started);

        System.out.printf("with every source stopped, Berth served the blob after %d ms%n", failover.toMillis());
        assertThat(response.statusCode()).as("Berth serves the bytes itself").isEqualTo(200);
        assertThat(response.body()).isEqualTo(layer.content());
        // Far and the CDN got no client before, so each is first probed when it takes over: one bound each, in turn.
        assertThat(failover).isLessThanOrEqualTo(PROBES.failoverBound().multipliedBy(3));
        JsonNode list = RegistryHttp.json(direct.get("/berth/v1/mirrors"));
        assertThat(list.path("cdn").path("reachable").asBoolean()).isFalse();
        assertThat(list.path("cdn").path("openSince").isTextual()).isTrue();
    }

    @Test
    void sourcesNoClientWasSentToAreNeverProbed() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();
        viaProxy(NEAR_CLIENT).get(blobPath(digest));
        awaitProbed("near");

        Thread.sleep(PROBES.interval().multipliedBy(2).toMillis());

        assertThat(far.requests()).as("only the crawler came by").noneMatch(request -> request.startsWith("HEAD /berth-sync/"));
        assertThat(cdn.requests()).isEmpty();
        assertThat(near.requests()).filteredOn(request -> request.equals("HEAD /berth-sync/generation")).hasSizeGreaterThan(1);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Asks for the blob every 50 ms until its redirect satisfies {@code elsewhere}; the time it took. */
    private Duration timeUntil(Digest digest, Predicate<String> elsewhere) throws InterruptedException {
        long started = System.nanoTime();
        long giveUp = started + PROBES.failoverBound().multipliedBy(3).toNanos();
        while (System.nanoTime() < giveUp) {
            if (elsewhere.test(location(viaProxy(NEAR_CLIENT).get(blobPath(digest))))) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("clients were still sent to the stopped mirror after " + PROBES.failoverBound().multipliedBy(3));
    }

    /** Waits until this node has probed the mirror once, so that it is being watched. */
    private void awaitProbed(String name) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mirror(name).path("lastProbe").isNull()) {
            assertThat(System.nanoTime()).as("mirror %s probed", name).isLessThan(giveUp);
            Thread.sleep(20);
        }
    }

    private void exportAndCrawl() throws Exception {
        MirrorTools.export(new BerthConfig("127.0.0.1:0", registry.dataDir().toString(), false, 5), tree, ExportProgress.silent());
        assertThat(direct.post("/berth/v1/mirrors/crawl").statusCode()).isEqualTo(200);
    }

    private JsonNode mirror(String name) {
        for (JsonNode mirror : RegistryHttp.json(direct.get("/berth/v1/mirrors")).path("mirrors")) {
            if (mirror.path("name").asText().equals(name)) {
                return mirror;
            }
        }
        throw new AssertionError("no mirror " + name);
    }

    private JsonNode choice(String client, Digest digest) {
        HttpResponse<byte[]> response = direct.get("/berth/v1/mirrors/choice?client=" + client + "&repository=" + REPOSITORY
                + "&digest=" + digest);
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        return RegistryHttp.json(response);
    }

    /** A client behind the trusted proxy, which says the client is {@code clientAddress}. */
    private RegistryHttp viaProxy(String clientAddress) {
        HttpClient fromProxy = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).localAddress(TRUSTED_PROXY)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return new RegistryHttp(registry.uri(), fromProxy).withHeader("X-Forwarded-For", clientAddress);
    }

    private static String blobPath(Digest digest) {
        return "/v2/" + REPOSITORY + "/blobs/" + digest;
    }

    private static String location(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as("a redirect").isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
