package io.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request metrics keep their labels bounded, whatever method or status a request ends with. */
class RequestMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics requests = new RequestMetrics(registry);

    @Test
    void anUnknownMethodCountsAsOther() {
        requests.completed("base", "PROPFIND", 405, 1_000, 0, 0);
        requests.completed("base", "BREW", 405, 1_000, 0, 0);

        assertThat(count(Map.of("route", "base", "method", "OTHER", "status", "405"))).isEqualTo(2);
    }

    @Test
    void aStatusOutsideHttpsRangeCountsAsZero() {
        requests.completed("blob", "GET", 999, 1_000, 0, 0);
        requests.completed("blob", "GET", 42, 1_000, 0, 0);

        assertThat(count(Map.of("route", "blob", "method", "GET", "status", "0"))).isEqualTo(2);
    }

    @Test
    void theSameRouteMethodAndStatusShareOneTimer() {
        for (int i = 0; i < 1000; i++) {
            requests.completed("manifest", "GET", 200, 1_000, 10, 20);
        }

        assertThat(registry.find("berth.http.requests").timers()).hasSize(1);
        assertThat(count(Map.of("route", "manifest", "method", "GET", "status", "200"))).isEqualTo(1000);
        assertThat(scraped().value("berth_http_received_bytes_total", Map.of())).contains(10_000.0);
        assertThat(scraped().value("berth_http_sent_bytes_total", Map.of())).contains(20_000.0);
    }

    @Test
    void uploadsInProgressRiseAndFall() {
        requests.uploadStarted();
        requests.uploadStarted();
        requests.uploadEnded();

        assertThat(scraped().value("berth_uploads_in_progress", Map.of())).contains(1.0);
    }

    private double count(Map<String, String> labels) {
        return scraped().value("berth_http_requests_seconds_count", labels).orElse(0.0);
    }

    private PrometheusText scraped() {
        return PrometheusText.parse(registry.scrape());
    }
}
