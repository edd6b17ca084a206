package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.MetricsConfig;
import io.berth.testing.PrometheusText;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may read {@code /metrics} with authentication on: on the main port registry admins and the
 * configured readers, anonymous callers are challenged and everyone else refused, before any text is
 * rendered; on the management port anyone who can reach it.
 */
class MetricsAuthApiTest {
    private static LockedDownRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start(config -> config.withMetrics(
                new MetricsConfig("127.0.0.1:0", true, List.of("robot$osbs"))));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void registryAdminsAndReadersMayReadTheMetrics() {
        assertServed(registry.admin().get("/metrics"));
        assertServed(registry.osbs().get("/metrics"));
    }

    @Test
    void anonymousCallersAreChallengedAndOthersDenied() {
        registry.assertChallenged(registry.anonymous().get("/metrics"), "");
        LockedDownRegistry.assertDenied(registry.releng().get("/metrics"));
    }

    @Test
    void theEndpointTakesNoBody() {
        HttpResponse<byte[]> response = registry.admin().post("/metrics");
        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void theManagementPortNeedsNoCredentials() {
        RegistryHttp management = new RegistryHttp(URI.create("http://127.0.0.1:"
                + registry.registry().managementPort().orElseThrow() + "/"));
        assertServed(management.get("/metrics"));
    }

    @Test
    void promotionsAreCountedByOutcome() {
        double refusedBefore = promotions("refused");
        double grantedBefore = promotions("granted");
        String request = "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:metrics\"]}";

        registry.assertChallenged(registry.anonymous().postJson("/berth/v1/promotions", request), "");
        LockedDownRegistry.assertDenied(registry.osbs().postJson("/berth/v1/promotions", request));
        HttpResponse<byte[]> promoted = registry.releng().postJson("/berth/v1/promotions", request);
        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);

        assertThat(promotions("refused")).isEqualTo(refusedBefore + 2);
        assertThat(promotions("granted")).isEqualTo(grantedBefore + 1);
        assertThat(promotions("overridden")).isZero();
    }

    private static double promotions(String outcome) {
        return PrometheusText.parse(RegistryHttp.text(registry.admin().get("/metrics")))
                .value("berth_promotions_total", java.util.Map.of("outcome", outcome)).orElseThrow();
    }

    private static void assertServed(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        assertThat(PrometheusText.parse(RegistryHttp.text(response)).named("berth_http_requests_seconds_count"))
                .isNotEmpty();
    }
}
