package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.MetricsConfig;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.PrometheusText;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After a known sequence of pushes and pulls, the metrics on the management port count each request
 * under its route's name, method and status, and never under a repository name; the main port serves
 * the same text when {@code metrics.main-port} is on.
 */
class MetricsApiTest {
    private static final String REPOSITORY = "team-secret/app";
    private static final TestBlob CONFIG = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    private static final TestBlob FIRST_LAYER = TestBlob.random(5000, 11);
    private static final TestBlob SECOND_LAYER = TestBlob.random(7000, 12);
    private static final TestBlob FIRST_MANIFEST = ManifestJson.ociImage(CONFIG, FIRST_LAYER).build();
    private static final TestBlob SECOND_MANIFEST = ManifestJson.ociImage(CONFIG, SECOND_LAYER).build();

    private static TestRegistry registry;
    private static PrometheusText scraped;

    @BeforeAll
    static void pushAndPull() {
        registry = TestRegistry.start(config -> config.withMetrics(new MetricsConfig("127.0.0.1:0", true, List.of())));
        RegistryHttp http = registry.http();
        for (TestBlob blob : List.of(CONFIG, FIRST_LAYER, SECOND_LAYER)) {
            http.pushBlob(REPOSITORY, blob.content());
        }
        http.pushManifest(REPOSITORY, "1.0", MediaTypes.OCI_MANIFEST, FIRST_MANIFEST.content());
        http.pushManifest(REPOSITORY, "2.0", MediaTypes.OCI_MANIFEST, SECOND_MANIFEST.content());
        for (String reference : List.of("1.0", "2.0", "1.0", FIRST_MANIFEST.digest().toString())) {
            assertThat(http.get("/v2/" + REPOSITORY + "/manifests/" + reference).statusCode()).isEqualTo(200);
        }
        assertThat(http.get("/v2/" + REPOSITORY + "/manifests/3.0").statusCode()).isEqualTo(404);
        assertThat(http.get("/v2/" + REPOSITORY + "/blobs/" + FIRST_LAYER.digest()).statusCode()).isEqualTo(200);
        scraped = PrometheusText.parse(RegistryHttp.text(managementPort().get("/metrics")));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void requestsAreCountedByRouteNameMethodAndStatus() {
        assertThat(requests("upload_start", "POST", "201")).isEqualTo(3);
        assertThat(requests("manifest", "PUT", "201")).isEqualTo(2);
        assertThat(requests("manifest", "GET", "200")).isEqualTo(4);
        assertThat(requests("manifest", "GET", "404")).isEqualTo(1);
        assertThat(requests("blob", "GET", "200")).isEqualTo(1);
    }

    @Test
    void latencyIsAHistogramWithBoundedBuckets() {
        List<PrometheusText.Sample> buckets = scraped.named("berth_http_requests_seconds_bucket").stream()
                .filter(sample -> sample.labels().get("route").equals("manifest")
                        && sample.labels().get("method").equals("GET") && sample.labels().get("status").equals("200"))
                .toList();
        assertThat(buckets).hasSizeBetween(10, 20);
        assertThat(buckets).anySatisfy(bucket -> {
            assertThat(bucket.labels()).containsEntry("le", "+Inf");
            assertThat(bucket.value()).isEqualTo(4);
        });
    }

    @Test
    void noRepositoryNameBecomesALabel() {
        assertThat(scraped.samples()).allSatisfy(sample ->
                assertThat(sample.labels().values()).noneMatch(value -> value.contains("team-secret")));
    }

    @Test
    void bodyBytesDownloadsAndUploadsAreCounted() {
        long pushed = CONFIG.size() + FIRST_LAYER.size() + SECOND_LAYER.size() + FIRST_MANIFEST.size() + SECOND_MANIFEST.size();
        assertThat(scraped.value("berth_http_received_bytes_total", Map.of())).hasValueSatisfying(bytes ->
                assertThat(bytes).isEqualTo((double) pushed));
        assertThat(scraped.value("berth_http_sent_bytes_total", Map.of())).hasValueSatisfying(bytes ->
                assertThat(bytes).isGreaterThanOrEqualTo(FIRST_LAYER.size() + 3.0 * FIRST_MANIFEST.size()));
        assertThat(scraped.value("berth_blob_downloads_total", Map.of("source", "registry"))).contains(1.0);
        assertThat(scraped.value("berth_uploads_in_progress", Map.of())).contains(0.0);
    }

    @Test
    void theJvmTheProcessAndTheMetadataConnectionsAreReported() {
        assertThat(scraped.value("jvm_memory_used_bytes", Map.of("area", "heap"))).isPresent();
        assertThat(scraped.named("jvm_threads_live_threads")).isNotEmpty();
        assertThat(scraped.named("jvm_classes_loaded_classes")).isNotEmpty();
        assertThat(scraped.value("process_uptime_seconds", Map.of())).hasValueSatisfying(uptime ->
                assertThat(uptime).isPositive());
        assertThat(scraped.value("berth_db_connections", Map.of("state", "total"))).contains(8.0);
        assertThat(scraped.value("berth_db_connections_waiting", Map.of())).contains(0.0);
    }

    @Test
    void theMainPortServesTheSameMetricsWithoutAuthentication() {
        HttpResponse<byte[]> response = registry.http().get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(PrometheusText.parse(RegistryHttp.text(response)).named("berth_http_requests_seconds_count")).isNotEmpty();
    }

    @Test
    void theManagementPortServesOnlyMetrics() {
        assertThat(managementPort().get("/v2/").statusCode()).isEqualTo(404);
        assertThat(managementPort().post("/metrics").statusCode()).isEqualTo(405);
    }

    private static double requests(String route, String method, String status) {
        return scraped.value("berth_http_requests_seconds_count", Map.of("route", route, "method", method, "status", status))
                .orElse(0.0);
    }

    private static RegistryHttp managementPort() {
        return new RegistryHttp(URI.create("http://127.0.0.1:" + registry.managementPort().orElseThrow() + "/"));
    }
}
