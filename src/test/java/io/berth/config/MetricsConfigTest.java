package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code metrics} section: off without it, a loopback management port by default with it. */
class MetricsConfigTest {
    @TempDir
    Path directory;

    @Test
    void withoutTheSectionThereAreNoMetrics() {
        assertThat(BerthConfig.defaults().metricsSettings()).isEmpty();
    }

    @Test
    void anEmptySectionServesTheManagementPortOnLoopbackOnly() throws IOException {
        MetricsConfig metrics = load("metrics: {}\n").metricsSettings().orElseThrow();

        assertThat(metrics).isEqualTo(new MetricsConfig(MetricsConfig.DEFAULT_LISTEN, false, List.of()));
        assertThat(metrics.managementAddress()).contains(new ListenAddress("127.0.0.1", 9091));
        assertThat(metrics.mainPort()).isFalse();
    }

    @Test
    void everyKeyIsRead() throws IOException {
        MetricsConfig metrics = load("""
                metrics:
                  listen: off
                  main-port: true
                  readers: [ops, robot$prometheus]
                """).metricsSettings().orElseThrow();

        assertThat(metrics.managementAddress()).isEqualTo(Optional.empty());
        assertThat(metrics.mainPort()).isTrue();
        assertThat(metrics.readers()).containsExactly("ops", "robot$prometheus");
    }

    @Test
    void metricsServedNowhereAreRefused() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new MetricsConfig("off", false, null))
                .withMessageContaining("main-port: true");
    }

    @Test
    void aBadAddressOrAnEmptyReaderIsRefused() {
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new MetricsConfig("9091", null, null));
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new MetricsConfig(null, true, List.of(" ")));
    }

    private BerthConfig load(String yaml) throws IOException {
        Path file = directory.resolve("berth.yml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }
}
