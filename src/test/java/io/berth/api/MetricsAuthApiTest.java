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

    private static void assertServed(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        assertThat(PrometheusText.parse(RegistryHttp.text(response)).named("berth_http_requests_seconds_count"))
                .isNotEmpty();
    }
}
