package io.berth.http;

import io.berth.events.EventOrigin;
import io.berth.mirror.ClientAddresses;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import java.io.IOException;
import java.util.Optional;

/**
 * Berth's administrative endpoints — robot accounts, the audit trail, garbage collection on demand —
 * with who may call each, decided before any body is read: robots and gc take a registry admin, the
 * audit trail any authenticated caller (who sees only the entries it may). With authentication off
 * anyone may call them. Without {@link Administration} they answer 404.
 */
final class AdministrationEndpoints {
    private final Optional<RobotResource> robots;
    private final Optional<AuditResource> audit;
    private final Optional<GcResource> gc;
    private final Optional<AuthGate> gate;
    private final ClientAddresses clients;

    AdministrationEndpoints(Optional<Administration> administration, Optional<AuthGate> gate, ClientAddresses clients) {
        this.robots = administration.map(services -> new RobotResource(services.robots()));
        this.audit = administration.map(services -> new AuditResource(services.audit()));
        this.gc = administration.map(services -> new GcResource(services.gc()));
        this.gate = gate;
        this.clients = clients;
    }

    /** {@code /berth/v1/robots}: list (GET) or create (POST). */
    void robots(Exchange exchange, Optional<AuthGate.Caller> caller) throws IOException {
        RobotResource resource = served(robots);
        Resources.requireMethod(exchange, "GET", "HEAD", "POST");
        caller.ifPresent(known -> gate.orElseThrow().requireRegistryAdmin(exchange, known));
        if (exchange.method().equals("POST")) {
            resource.create(exchange, origin(exchange, caller));
        } else {
            resource.list(exchange);
        }
    }

    /** {@code /berth/v1/robots/NAME} (DELETE revokes) and {@code /berth/v1/robots/NAME/secret} (POST rotates). */
    void robot(Exchange exchange, Optional<AuthGate.Caller> caller, Route.Robot robot) {
        RobotResource resource = served(robots);
        Resources.requireMethod(exchange, robot.secret() ? "POST" : "DELETE");
        caller.ifPresent(known -> gate.orElseThrow().requireRegistryAdmin(exchange, known));
        if (robot.secret()) {
            resource.rotate(exchange, robot.name(), origin(exchange, caller));
        } else {
            resource.revoke(exchange, robot.name(), origin(exchange, caller));
        }
    }

    /** {@code GET /berth/v1/audit}: admins see every entry, other callers their own and those about what they may pull. */
    void audit(Exchange exchange, Optional<AuthGate.Caller> caller) {
        AuditResource resource = served(audit);
        caller.ifPresent(known -> gate.orElseThrow().requireAuthenticated(exchange, known));
        resource.list(exchange, caller.map(known -> AuditResource.visibleTo(gate.orElseThrow().isRegistryAdmin(known),
                        AuthGate.actor(known), name -> gate.orElseThrow().mayPull(known, name)))
                .orElse(entry -> true));
    }

    /** {@code POST /berth/v1/gc}: registry admins only. */
    void gc(Exchange exchange, Optional<AuthGate.Caller> caller) throws IOException {
        GcResource resource = served(gc);
        caller.ifPresent(known -> gate.orElseThrow().requireRegistryAdmin(exchange, known));
        resource.run(exchange);
    }

    /** The caller's address: the peer, or behind a trusted proxy the address its {@code X-Forwarded-For} names. */
    static String clientAddress(Exchange exchange, ClientAddresses clients) {
        return clients.clientOf(exchange.peerAddress(), exchange.headerValues(MirrorRouting.FORWARDED_FOR)).getHostAddress();
    }

    /** Who made a change, and from where, for the audit trail. */
    private EventOrigin origin(Exchange exchange, Optional<AuthGate.Caller> caller) {
        return new EventOrigin(caller.map(AuthGate::actor), Optional.of(clientAddress(exchange, clients)));
    }

    private static <T> T served(Optional<T> resource) {
        return resource.orElseThrow(() -> RegistryException.withStatus(ErrorCode.UNSUPPORTED, 404, "no such endpoint"));
    }
}
