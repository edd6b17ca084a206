package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * Metrics in the Prometheus text format ({@code docs/operations.md}, "Metrics"). Off unless the
 * {@code metrics} section is present; with it, served on a management port by default.
 *
 * @param listen   {@code HOST:PORT} of the management port serving {@code GET /metrics} to anyone who
 *                 can reach it, without authentication (default {@value #DEFAULT_LISTEN}); {@code off}
 *                 for none
 * @param mainPort also serve {@code GET /metrics} on the registry's own port, where with {@code auth}
 *                 on only registry admins and {@code readers} may read it (default false)
 * @param readers  users and robots ({@code robot$NAME}) besides registry admins who may read the
 *                 metrics on the main port
 */
public record MetricsConfig(
        @JsonProperty("listen") String listen,
        @JsonProperty("main-port") Boolean mainPort,
        @JsonProperty("readers") List<String> readers) {

    public static final String DEFAULT_LISTEN = "127.0.0.1:9091";
    /** The {@code listen} value that turns the management port off. */
    public static final String OFF = "off";

    public MetricsConfig {
        listen = listen == null ? DEFAULT_LISTEN : listen.trim();
        mainPort = mainPort != null && mainPort;
        readers = readers == null ? List.of() : List.copyOf(readers);
        if (!listen.equals(OFF)) {
            ListenAddress.parse(listen);
        }
        if (listen.equals(OFF) && !mainPort) {
            throw new ConfigException("metrics: with listen: off, set main-port: true, or remove the metrics section"
                    + " to turn metrics off");
        }
        if (readers.stream().anyMatch(reader -> reader == null || reader.isBlank())) {
            throw new ConfigException("metrics.readers must name users or robots (robot$NAME)");
        }
    }

    /** The management port's address; empty when it is off. */
    public Optional<ListenAddress> managementAddress() {
        return listen.equals(OFF) ? Optional.empty() : Optional.of(ListenAddress.parse(listen));
    }
}
