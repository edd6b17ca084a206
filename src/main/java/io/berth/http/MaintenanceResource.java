package io.berth.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.RegistryException;
import io.berth.registry.MaintenanceMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /berth/v1/maintenance} ({@code docs/api.md}, "Berth's own endpoints"):
 * <ul>
 *   <li>{@code GET} — {@code {"read-only": false}}, with {@code changed-by} and {@code changed-at}
 *       once the switch was ever set;</li>
 *   <li>{@code PUT} {@code {"read-only": true|false}} — switches every node sharing the database,
 *       this one at once; answers like {@code GET}.</li>
 * </ul>
 * Who may call is decided before this class runs ({@link RegistryHandler}); the body is read only
 * then, and never past {@link Limits#MAX_MAINTENANCE_REQUEST_BYTES}.
 */
final class MaintenanceResource {
    private final MaintenanceMode mode;

    MaintenanceResource(MaintenanceMode mode) {
        this.mode = mode;
    }

    void get(Exchange exchange) {
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, body(mode));
    }

    /** Reads {@code {"read-only": BOOLEAN}} and switches; {@code actor} is recorded as who switched. */
    void put(Exchange exchange, String actor) throws IOException {
        if (exchange.contentLength().orElse(0) > Limits.MAX_MAINTENANCE_REQUEST_BYTES) {
            throw tooLarge();
        }
        JsonNode body;
        try (InputStream in = exchange.body()) {
            byte[] bytes = in.readNBytes(Limits.MAX_MAINTENANCE_REQUEST_BYTES + 1);
            if (bytes.length > Limits.MAX_MAINTENANCE_REQUEST_BYTES) {
                throw tooLarge();
            }
            body = Exchange.JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Resources.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject() || !body.path("read-only").isBoolean() || body.size() != 1) {
            throw Resources.badRequest("expected {\"read-only\": true} or {\"read-only\": false}");
        }
        mode.switchTo(body.path("read-only").booleanValue(), actor);
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, body(mode));
    }

    private static RegistryException tooLarge() {
        return RegistryException.withStatus(ErrorCode.UNSUPPORTED, 413,
                "a maintenance request is limited to " + Limits.MAX_MAINTENANCE_REQUEST_BYTES + " bytes");
    }

    /** The answer of both methods, in this order. */
    static Map<String, Object> body(MaintenanceMode mode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("read-only", mode.readOnly());
        mode.current().ifPresent(stored -> {
            body.put("changed-by", stored.changedBy());
            body.put("changed-at", stored.changedAt().toString());
        });
        return body;
    }
}
