package io.berth.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.MetricsConfig;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes Berth's management port every second: after a known sequence of pushes
 * and pulls, PromQL through Prometheus's HTTP API returns the counts of each route, method and
 * status; the example alert rules pass {@code promtool check rules} and load into the same server.
 */
@Tag("clients")
class MetricsPrometheusIT {
    private static final Path ALERT_RULES = Path.of(System.getProperty("berth.root", "."), "examples", "prometheus-alerts.yml");
    private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(30);
    private static final TestBlob CONFIG = TestBlob.of("{\"architecture\":\"arm64\",\"os\":\"linux\"}");
    private static final TestBlob FIRST_LAYER = TestBlob.random(20_000, 21);
    private static final TestBlob SECOND_LAYER = TestBlob.random(30_000, 22);

    @TempDir
    Path temporary;

    @Test
    void prometheusCountsPushesAndPullsByRouteMethodAndStatus() throws Exception {
        new ExternalTool("promtool", "install it with: apt-get install -y prometheus", Map.of(), temporary.resolve("promtool"))
                .run(Duration.ofSeconds(60), "check", "rules", ALERT_RULES.toString()).assertSucceeded();
        try (TestRegistry registry = TestRegistry.start(config ->
                     config.withMetrics(new MetricsConfig("127.0.0.1:0", false, List.of())));
             PrometheusServer prometheus = PrometheusServer.start(temporary.resolve("prometheus"),
                     "127.0.0.1:" + registry.managementPort().orElseThrow(), ALERT_RULES)) {
            prometheus.awaitValue("up{job=\"berth\"}", 1, SCRAPED_WITHIN);

            pushAndPull(registry.http());

            prometheus.awaitValue(count("upload_start", "POST", "201"), 3, SCRAPED_WITHIN);
            prometheus.awaitValue(count("manifest", "PUT", "201"), 2, SCRAPED_WITHIN);
            prometheus.awaitValue(count("manifest", "GET", "200"), 4, SCRAPED_WITHIN);
            prometheus.awaitValue(count("manifest", "GET", "404"), 1, SCRAPED_WITHIN);
            prometheus.awaitValue(count("blob", "GET", "200"), 2, SCRAPED_WITHIN);
            prometheus.awaitValue("sum(berth_blob_downloads_total{job=\"berth\", source=\"registry\"})", 2, SCRAPED_WITHIN);
            assertThat(prometheus.query("sum(berth_http_received_bytes_total{job=\"berth\"})")).hasValueSatisfying(bytes ->
                    assertThat(bytes).isGreaterThanOrEqualTo(CONFIG.size() + FIRST_LAYER.size() + SECOND_LAYER.size()));
            assertThat(prometheus.query("count(berth_http_requests_seconds_count{job=\"berth\", route=~\".*app.*\"})")).isEmpty();
            assertThat(prometheus.query("process_uptime_seconds{job=\"berth\"}")).hasValueSatisfying(uptime ->
                    assertThat(uptime).isPositive());
            assertThat(prometheus.alertingRules()).contains("BerthDown", "BerthServerErrors", "BerthMirrorUnusable");
        }
    }

    /** 3 blob uploads, 2 manifest PUTs, 4 manifest GETs, one GET of a missing tag, 2 blob GETs. */
    private static void pushAndPull(RegistryHttp http) {
        String repository = "metrics/app";
        for (TestBlob blob : List.of(CONFIG, FIRST_LAYER, SECOND_LAYER)) {
            http.pushBlob(repository, blob.content());
        }
        http.pushManifest(repository, "1", MediaTypes.OCI_MANIFEST, ManifestJson.ociImage(CONFIG, FIRST_LAYER).build().content());
        http.pushManifest(repository, "2", MediaTypes.OCI_MANIFEST, ManifestJson.ociImage(CONFIG, SECOND_LAYER).build().content());
        for (String tag : List.of("1", "2", "1", "2")) {
            assertThat(http.get("/v2/" + repository + "/manifests/" + tag).statusCode()).isEqualTo(200);
        }
        assertThat(http.get("/v2/" + repository + "/manifests/3").statusCode()).isEqualTo(404);
        for (TestBlob layer : List.of(FIRST_LAYER, SECOND_LAYER)) {
            assertThat(http.get("/v2/" + repository + "/blobs/" + layer.digest()).statusCode()).isEqualTo(200);
        }
    }

    private static String count(String route, String method, String status) {
        return "sum(berth_http_requests_seconds_count{job=\"berth\", route=\"%s\", method=\"%s\", status=\"%s\"})"
                .formatted(route, method, status);
    }
}
