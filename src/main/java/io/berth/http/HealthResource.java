package io.berth.http;

import io.berth.registry.HealthCheck;
import io.berth.registry.MaintenanceMode;

/** {@code GET /berth/v1/health}: whether this node can serve, for load balancers and monitoring. */
final class HealthResource {
    private final HealthCheck health;
    private final MaintenanceMode maintenance;

    HealthResource(HealthCheck health, MaintenanceMode maintenance) {
        this.health = health;
        this.maintenance = maintenance;
    }

    /**
     * 200 when the metadata database and the blob store both answer, else 503; the body names the
     * state of each, and the mode: {@code read-only} in maintenance mode (still 200: reads are
     * served), else {@code read-write}. Like the mirror list it needs no permission (a balancer has
     * no credentials, and the answer tells nothing about content).
     */
    void get(Exchange exchange) {
        Resources.requireMethod(exchange, "GET", "HEAD");
        HealthCheck.Report report = health.check();
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(report.healthy() ? 200 : 503, new HealthBody(report.healthy() ? "ok" : "unavailable",
                report.metadata() ? "ok" : "failing", report.storage() ? "ok" : "failing",
                maintenance.readOnly() ? "read-only" : "read-write"));
    }

    /** The health answer's JSON, in this order. */
    private record HealthBody(String status, String metadata, String storage, String mode) {
    }
}
