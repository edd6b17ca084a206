package io.berth.metrics;

import io.berth.metadata.ConnectionUse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The metadata database's connections: how many there are, how many are lent out, and how many
 * callers wait for one ({@code berth_db_connections}, by {@code state}), for SQLite's fixed set and
 * PostgreSQL's pool alike.
 */
final class ConnectionMetrics {
    private ConnectionMetrics() {
    }

    static void register(MeterRegistry registry, Supplier<ConnectionUse> use) {
        gauge(registry, "berth.db.connections", "total", "Metadata connections, by state", use, ConnectionUse::total);
        gauge(registry, "berth.db.connections", "in-use", "Metadata connections, by state", use, ConnectionUse::inUse);
        Gauge.builder("berth.db.connections.waiting", use, current -> current.get().waiting())
                .description("Callers waiting for a metadata connection").strongReference(true).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String state, String description,
                              Supplier<ConnectionUse> use, java.util.function.ToIntFunction<ConnectionUse> figure) {
        Gauge.builder(name, use, current -> figure.applyAsInt(current.get()))
                .description(description).tag("state", state).strongReference(true).register(registry);
    }
}
