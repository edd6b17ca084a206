package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.BerthConfig;
import io.berth.config.MirrorConfig;
import io.berth.config.MirrorsConfig;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.server.MirrorTools;
import io.berth.mirror.ExportProgress;
import io.berth.mirror.MirrorCrawler;
import io.berth.testing.ManifestJson;
import io.berth.testing.MmdbWriter;
import io.berth.testing.RegistryHttp;
import io.berth.testing.StaticFileMirror;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob downloads sent to mirrors and the CDN, over real sockets, with mirrors that are plain static
 * file servers over a tree {@code berth mirror export} wrote. Clients are placed by the
 * {@code X-Forwarded-For} of a trusted proxy at 127.0.0.2, and by GeoIP databases the test writes:
 *
 * <pre>
 * mirror   where  networks                     url
 * near     DE/EU  10.20.0.0/16                 its own file server
 * far      US/NA  -                            its own file server
 * campus   DE/EU  private, 10.99.0.0/16        its own file server
 * carrier  JP/AS  private, AS64500             its own file server
 *
 * GeoIP: 10.30.0.0/16 DE/EU, 10.40.0.0/16 FR/EU, 10.50.0.0/16 JP/AS, 10.45.0.0/16 BR/SA; ASN: 10.60.0.0/16 AS64500
 * </pre>
 */
class MirrorApiTest {
    private static final InetAddress TRUSTED_PROXY = address("127.0.0.2");
    private static final String REPOSITORY = "fedora/app";

    @TempDir
    Path temporary;

    private Path tree;
    private StaticFileMirror near;
    private StaticFileMirror far;
    private StaticFileMirror campus;
    private StaticFileMirror carrier;
    /** Stands in for the CDN: the registry probes the sources it sends clients to. */
    private StaticFileMirror cdnServer;
    private String cdn;
    private TestRegistry registry;
    private RegistryHttp direct;
    private final TestBlob layer = TestBlob.random(20_000, 41);

    @BeforeEach
    void start() throws IOException {
        tree = Files.createDirectories(temporary.resolve("tree"));
        Path country = MmdbWriter.countries()
                .network("10.30.0.0/16", "DE", "EU").network("10.40.0.0/16", "FR", "EU")
                .network("10.50.0.0/16", "JP", "AS").network("10.45.0.0/16", "BR", "SA")
                .write(temporary.resolve("country.mmdb"));
        Path asn = MmdbWriter.asns().network("10.60.0.0/16", 64500, "Example Carrier").write(temporary.resolve("asn.mmdb"));
        near = StaticFileMirror.serve(tree);
        far = StaticFileMirror.serve(tree);
        campus = StaticFileMirror.serve(tree);
        carrier = StaticFileMirror.serve(tree);
        cdnServer = StaticFileMirror.serve(tree);
        cdn = cdnServer.uri().toString();
        List<MirrorConfig> mirrors = List.of(
                new MirrorConfig("near", near.uri().toString(), "DE", null, List.of("10.20.0.0/16"), null, 1000, null, null, null),
                new MirrorConfig("far", far.uri().toString(), "US", null, null, null, 1000, null, null, null),
                new MirrorConfig("campus", campus.uri().toString(), "DE", null, List.of("10.99.0.0/16"), null, 100, true, null, null),
                new MirrorConfig("carrier", carrier.uri().toString(), "JP", null, null, List.of(64500L), 100, true, null, null));
        MirrorsConfig settings = new MirrorsConfig(cdn, null, 3600, false, 5, 2, 3600, country.toString(), asn.toString(), mirrors);
        registry = TestRegistry.start(config -> config.withTrustedProxies(List.of("127.0.0.2/32")).withMirrors(settings)
                .withMetrics(new io.berth.config.MetricsConfig("off", true, List.of())));
        direct = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
        List.of(near, far, campus, carrier, cdnServer).forEach(StaticFileMirror::close);
    }

    @Test
    void aBlobGetIsSentToTheMirrorOfTheClientsNetblockWhichServesTheSameBytes() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();

        HttpResponse<byte[]> response = viaProxy("10.20.1.5").get(blobPath(digest));

        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location).isEqualTo(near.uri().resolve("blobs/sha256/" + digest.encoded().substring(0, 2) + "/" + digest.encoded()));
        HttpResponse<byte[]> fromMirror = HttpClient.newHttpClient().send(HttpRequest.newBuilder(location).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fromMirror.statusCode()).isEqualTo(200);
        assertThat(fromMirror.body()).isEqualTo(layer.content());
    }

    @Test
    void theMetricsCountDownloadsByTheMirrorChosenAndEachMirrorsCrawls() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();

        for (int i = 0; i < 2; i++) {
            assertThat(location(viaProxy("10.20.1.5").get(blobPath(digest)))).startsWith(near.uri().toString());
        }

        io.berth.testing.PrometheusText metrics = io.berth.testing.PrometheusText.parse(RegistryHttp.text(direct.get("/metrics")));
        assertThat(metrics.value("berth_blob_downloads_total", java.util.Map.of("source", "mirror", "mirror", "near")))
                .contains(2.0);
        assertThat(metrics.value("berth_mirror_crawls_total", java.util.Map.of("mirror", "near", "result", "success")))
                .contains(1.0);
        assertThat(metrics.value("berth_mirror_usable", java.util.Map.of("mirror", "near"))).contains(1.0);
        assertThat(metrics.value("berth_mirror_generations_behind", java.util.Map.of("mirror", "near"))).contains(0.0);
    }

    @Test
    void headManifestsAndTheApiAreNeverRedirected() throws Exception {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        direct.pushBlob(REPOSITORY, config.content());
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        TestBlob manifest = ManifestJson.ociImage(config, layer).build();
        direct.pushManifest(REPOSITORY, "1.0", MediaTypes.OCI_MANIFEST, manifest.content());
        exportAndCrawl();
        RegistryHttp client = viaProxy("10.20.1.5");

        HttpResponse<byte[]> head = client.head(blobPath(digest));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(layer.size());
        assertThat(client.get("/v2/" + REPOSITORY + "/manifests/1.0").statusCode()).isEqualTo(200);
        assertThat(client.get("/v2/" + REPOSITORY + "/tags/list").statusCode()).isEqualTo(200);
        assertThat(client.get("/v2/").statusCode()).isEqualTo(200);
        assertThat(near.requests()).as("only the crawler came by").noneMatch(request -> request.startsWith("GET /blobs/"));
    }

    @Test
    void aForwardedForFromAnUntrustedPeerIsIgnoredSoItCannotReachAPrivateMirror() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();

        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> spoofed = direct.withHeader("X-Forwarded-For", "10.99.0.7").get(blobPath(digest));
            assertThat(spoofed.statusCode()).isEqualTo(302);
            assertThat(location(spoofed)).as("127.0.0.1 is no trusted proxy: the client is 127.0.0.1, placed nowhere")
                    .satisfiesAnyOf(uri -> assertThat(uri).startsWith(near.uri().toString()),
                            uri -> assertThat(uri).startsWith(far.uri().toString()));
        }
        HttpResponse<byte[]> trusted = viaProxy("10.99.0.7").get(blobPath(digest));
        assertThat(location(trusted)).startsWith(campus.uri().toString());
    }

    @Test
    void aPrivateMirrorServesOnlyItsOwnNetworksWhileItsCountryGoesToThePublicOne() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();

        assertThat(location(viaProxy("10.99.200.1").get(blobPath(digest)))).startsWith(campus.uri().toString());
        assertThat(location(viaProxy("10.60.3.3").get(blobPath(digest)))).as("by autonomous system")
                .startsWith(carrier.uri().toString());
        for (int i = 0; i < 20; i++) {
            assertThat(location(viaProxy("10.30.0.9").get(blobPath(digest)))).as("a German client")
                    .startsWith(near.uri().toString());
            assertThat(location(viaProxy("10.50.0.9").get(blobPath(digest)))).as("a Japanese client outside AS64500")
                    .doesNotStartWith(carrier.uri().toString());
        }
    }

    @Test
    void countryThenContinentThenTheGlobalPool() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();

        JsonNode german = choice("10.30.1.1", digest);
        assertThat(german.path("client").path("country").asText()).isEqualTo("DE");
        assertThat(german.path("mirror").asText()).isEqualTo("near");
        assertThat(german.path("candidates").get(0).path("reason").asText()).isEqualTo("country");

        JsonNode french = choice("10.40.1.1", digest);
        assertThat(french.path("client").path("continent").asText()).isEqualTo("EU");
        assertThat(french.path("mirror").asText()).isEqualTo("near");
        assertThat(french.path("candidates").get(0).path("reason").asText()).isEqualTo("continent");
        assertThat(french.path("candidates").get(1).path("mirror").asText())
                .as("fewer than five found, so the global pool follows").isEqualTo("far");
        assertThat(french.path("candidates").get(1).path("reason").asText()).isEqualTo("global");

        Set<String> brazilian = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            brazilian.add(choice("10.45.1.1", digest).path("mirror").asText());
        }
        assertThat(brazilian).as("no mirror in South America: the public pool, by weight").containsExactlyInAnyOrder("near", "far");

        JsonNode carrierClient = choice("10.60.0.1", digest);
        assertThat(carrierClient.path("client").path("asn").asLong()).isEqualTo(64500);
        assertThat(carrierClient.path("mirror").asText()).isEqualTo("carrier");
        assertThat(carrierClient.path("candidates").get(0).path("reason").asText()).isEqualTo("autonomous_system");
    }

    @Test
    void aBlobPushedAfterAMirrorsLastSyncIsNeverSentToIt() throws Exception {
        Digest first = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();
        TestBlob later = TestBlob.random(5_000, 42);
        Digest second = direct.pushBlob(REPOSITORY, later.content());

        HttpResponse<byte[]> beforeExport = viaProxy("10.20.1.5").get(blobPath(second));
        assertThat(beforeExport.statusCode()).as("in no generation yet: Berth serves it").isEqualTo(200);
        assertThat(beforeExport.body()).isEqualTo(later.content());

        MirrorTools.export(exportConfig(), tree, ExportProgress.silent());
        HttpResponse<byte[]> beforeCrawl = viaProxy("10.20.1.5").get(blobPath(second));
        assertThat(beforeCrawl.statusCode()).as("exported, but no mirror is known to hold generation 2").isEqualTo(200);
        assertThat(location(viaProxy("10.20.1.5").get(blobPath(first)))).startsWith(near.uri().toString());

        crawl();
        assertThat(location(viaProxy("10.20.1.5").get(blobPath(second)))).startsWith(near.uri().toString());
    }

    @Test
    void aMirrorThatGoesDownIsStaleAndSkippedAndFourFailuresDisableIt() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();
        near.close();

        JsonNode results = crawl();
        assertThat(results.path("crawled")).anySatisfy(result -> {
            assertThat(result.path("mirror").asText()).isEqualTo("near");
            assertThat(result.path("ok").asBoolean()).isFalse();
        });
        for (int i = 0; i < 10; i++) {
            assertThat(location(viaProxy("10.20.1.5").get(blobPath(digest)))).startsWith(far.uri().toString());
        }
        assertThat(mirror("near").path("stale").asBoolean()).isTrue();
        assertThat(mirror("near").path("enabled").asBoolean()).isTrue();
        crawl();
        crawl();
        crawl();
        assertThat(mirror("near").path("consecutiveFailures").asInt()).isEqualTo(4);
        assertThat(mirror("near").path("enabled").asBoolean()).as("disabled until an operator enables it").isFalse();
    }

    @Test
    void aMirrorMissingABlobOfItsGenerationIsStale() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        MirrorTools.export(exportConfig(), tree, ExportProgress.silent());
        Files.writeString(tree.resolve("blobs/sha256/" + digest.encoded().substring(0, 2) + "/" + digest.encoded()), "truncated");

        crawl();

        assertThat(mirror("near").path("stale").asBoolean()).isTrue();
        assertThat(mirror("near").path("lastError").asText()).contains("size");
        HttpResponse<byte[]> response = viaProxy("10.20.1.5").get(blobPath(digest));
        assertThat(location(response)).as("no mirror is fresh: the CDN").startsWith(cdn);
    }

    @Test
    void withoutAUsableMirrorTheCdnServesExportedBlobs() throws Exception {
        Digest digest = direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();
        List.of(near, far, campus, carrier).forEach(StaticFileMirror::close);
        crawl();

        HttpResponse<byte[]> response = viaProxy("10.20.1.5").get(blobPath(digest));

        assertThat(location(response)).isEqualTo(cdn + "blobs/sha256/" + digest.encoded().substring(0, 2) + "/" + digest.encoded());
        assertThat(choice("10.20.1.5", digest).path("source").asText()).isEqualTo("cdn");
    }

    @Test
    void crawlsBeforeAnyExportHoldNoMirrorAtFault() {
        direct.pushBlob(REPOSITORY, layer.content());

        for (int i = 0; i < MirrorCrawler.DISABLE_AFTER_FAILURES + 1; i++) {
            JsonNode results = crawl();
            assertThat(results.path("crawled")).allSatisfy(result ->
                    assertThat(result.path("error").asText()).contains("no mirror generation exists yet"));
        }

        assertThat(mirror("near").path("enabled").asBoolean()).isTrue();
        assertThat(mirror("near").path("consecutiveFailures").asInt()).isZero();
    }

    @Test
    void theMirrorListShowsEachMirrorsState() throws Exception {
        direct.pushBlob(REPOSITORY, layer.content());
        exportAndCrawl();

        JsonNode list = RegistryHttp.json(direct.get("/berth/v1/mirrors"));

        assertThat(list.path("publishedGeneration").asLong()).isEqualTo(1);
        assertThat(list.path("mirrors")).extracting(node -> node.path("name").asText())
                .containsExactly("campus", "carrier", "far", "near");
        assertThat(mirror("near").path("syncedGeneration").asLong()).isEqualTo(1);
        assertThat(mirror("near").path("usable").asBoolean()).isTrue();
        assertThat(mirror("near").path("country").asText()).isEqualTo("DE");
        assertThat(mirror("near").path("continent").asText()).isEqualTo("EU");
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void exportAndCrawl() throws Exception {
        MirrorTools.export(exportConfig(), tree, ExportProgress.silent());
        crawl();
    }

    private JsonNode crawl() {
        HttpResponse<byte[]> response = direct.post("/berth/v1/mirrors/crawl");
        assertThat(response.statusCode()).isEqualTo(200);
        return RegistryHttp.json(response);
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

    private BerthConfig exportConfig() {
        return new BerthConfig("127.0.0.1:0", registry.dataDir().toString(), false, 5);
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
