package io.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.berth.gc.GcReport;
import io.berth.metadata.ConnectionUse;
import io.berth.mirror.Mirror;
import io.berth.mirror.MirrorSnapshot;
import io.berth.mirror.MirrorStatus;
import io.berth.testing.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The example dashboard ({@code examples/grafana-berth.json}) and alert rules
 * ({@code examples/prometheus-alerts.yml}) ask only for metrics Berth exports: every metric name in
 * their PromQL appears in a scrape of metrics that have seen each kind of figure.
 */
class MonitoringExamplesTest {
    /** Metric names in PromQL: ours, the JVM's and the process's (Prometheus's own {@code up} aside). */
    private static final Pattern METRIC_NAME = Pattern.compile("\\b(?:berth|jvm|process|system)_[a-z0-9_]+\\b");

    @Test
    void theDashboardIsJsonWhosePanelsQueryOnlyExportedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("examples/grafana-berth.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target ->
                expressions.add(target.path("expr").asText())));
        assertThat(expressions).hasSizeGreaterThan(10).allSatisfy(expression -> assertThat(expression).isNotBlank());
        assertThat(namesIn(expressions)).isSubsetOf(exportedNames());
    }

    @Test
    void theAlertRulesQueryOnlyExportedMetrics() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("examples/prometheus-alerts.yml").toFile());
        List<String> expressions = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText())));
        assertThat(expressions).hasSizeGreaterThan(5);
        assertThat(namesIn(expressions)).isSubsetOf(exportedNames());
    }

    private static Set<String> namesIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC_NAME.matcher(expression);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        assertThat(names).isNotEmpty();
        return names;
    }

    /** The sample names of metrics that have seen a request, a download, a promotion, a GC pass and a crawled mirror. */
    private static Set<String> exportedNames() {
        try (BerthMetrics metrics = new BerthMetrics()) {
            metrics.requests().completed("manifest", "GET", 200, 1_000_000, 0, 100);
            metrics.downloads().fromMirror("eu-1");
            metrics.promotions().granted();
            metrics.gc().passed(new GcReport("", 1, 1, 1, 1, 100, 0, 0, 0, 0, Duration.ofMillis(20)), Instant.now());
            metrics.watchConnections(() -> new ConnectionUse(8, 1, 0));
            Mirror mirror = new Mirror("eu-1", URI.create("http://127.0.0.1:9/eu-1/"), Optional.of("DE"), Optional.empty(),
                    List.of(), Set.of(), 100, false, Set.of(), true, true);
            MirrorStatus status = new MirrorStatus(mirror, OptionalLong.of(3), false, 0, Optional.of(Instant.now()),
                    Optional.empty());
            MirrorSnapshot snapshot = MirrorSnapshot.of(List.of(status), OptionalLong.of(4), Instant.now());
            metrics.watchMirrors(() -> snapshot, Clock.systemUTC());
            return PrometheusText.parse(metrics.scrape()).samples().stream().map(PrometheusText.Sample::name)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
