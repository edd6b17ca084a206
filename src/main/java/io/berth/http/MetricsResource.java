package io.berth.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /metrics} on the main port, when configured: the metrics in the Prometheus text format.
 * With authentication on, only registry admins and the configured readers may read them, decided
 * before the text is rendered; without it, anyone who can reach the port (loopback only, unless the
 * registry is deliberately open). The endpoint takes no body.
 */
final class MetricsResource {
    private final Optional<Access> access;

    /**
     * @param page    the metrics
     * @param readers users and robots ({@code robot$NAME}) besides registry admins who may read them
     */
    record Access(MetricsHandler.MetricsPage page, Set<String> readers) {
        Access {
            readers = Set.copyOf(readers);
        }
    }

    MetricsResource(Optional<Access> access) {
        this.access = access;
    }

    /** The readers besides registry admins; empty when the metrics are not served here. */
    Set<String> readers() {
        return access.map(Access::readers).orElse(Set.of());
    }

    boolean served() {
        return access.isPresent();
    }

    void get(Exchange exchange) {
        MetricsHandler.MetricsPage page = access.orElseThrow().page();
        Resources.requireMethod(exchange, "GET", "HEAD");
        exchange.setHeader("Cache-Control", "no-store");
        byte[] text = page.text().get().getBytes(StandardCharsets.UTF_8);
        exchange.send(200, page.contentType(), exchange.isHead() ? new byte[0] : text);
    }
}
