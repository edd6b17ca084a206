package io.berth.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.audit.RobotAdministration;
import io.berth.auth.RobotSecrets;
import io.berth.events.EventOrigin;
import io.berth.metadata.RobotRecord;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /berth/v1/robots} ({@code docs/api.md}, "Berth's own endpoints"), for registry admins only
 * (checked before this class runs):
 * <ul>
 *   <li>{@code GET /berth/v1/robots} — every robot, never a secret;</li>
 *   <li>{@code POST /berth/v1/robots} {@code {"name": "osbs", "description": "…"}} — creates a robot
 *       (or one under a revoked robot's name) and answers 201 with its secret, shown only then;
 *       409 when an active robot has the name;</li>
 *   <li>{@code POST /berth/v1/robots/NAME/secret} — a new secret, the old one and the robot's
 *       tokens void at once; 404 for no such active robot;</li>
 *   <li>{@code DELETE /berth/v1/robots/NAME} — revokes it; 404 for no such active robot.</li>
 * </ul>
 * Every change is in the audit trail. The body is read only after the permission check, and never
 * past {@link Limits#MAX_ROBOT_REQUEST_BYTES}.
 */
final class RobotResource {
    private final RobotAdministration robots;

    RobotResource(RobotAdministration robots) {
        this.robots = robots;
    }

    void list(Exchange exchange) {
        List<Map<String, Object>> listed = robots.list().stream().map(RobotResource::describe).toList();
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, Map.of("robots", listed));
    }

    void create(Exchange exchange, EventOrigin origin) throws IOException {
        JsonNode body = readBody(exchange);
        if (body == null || !body.isObject() || !body.path("name").isTextual()
                || !(body.path("description").isMissingNode() || body.path("description").isTextual())) {
            throw Resources.badRequest("expected {\"name\": \"NAME\", \"description\": \"what it is for\"}");
        }
        String name = body.path("name").asText();
        String description = body.path("description").asText("");
        if (!RobotAdministration.validName(name)) {
            throw Resources.badRequest("robot names are 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        if (description.length() > RobotAdministration.MAX_DESCRIPTION) {
            throw Resources.badRequest("a robot's description is at most " + RobotAdministration.MAX_DESCRIPTION + " characters");
        }
        String secret = RobotSecrets.newSecret();
        RobotAdministration.Created created = robots.create(name, RobotSecrets.hash(secret), description, origin);
        if (created == RobotAdministration.Created.NAME_TAKEN) {
            throw RegistryException.withStatus(ErrorCode.DENIED, 409, "an active robot named " + name
                    + " exists; revoke it first, or rotate its secret");
        }
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(201, credentials(name, secret));
    }

    void rotate(Exchange exchange, String name, EventOrigin origin) {
        requireValid(name);
        String secret = RobotSecrets.newSecret();
        if (!robots.rotate(name, RobotSecrets.hash(secret), origin)) {
            throw noSuchRobot(name);
        }
        exchange.setHeader("Cache-Control", "no-store");
        exchange.sendJson(200, credentials(name, secret));
    }

    void revoke(Exchange exchange, String name, EventOrigin origin) {
        requireValid(name);
        if (!robots.revoke(name, origin)) {
            throw noSuchRobot(name);
        }
        exchange.sendJson(200, Map.of("name", name, "state", "revoked"));
    }

    private static JsonNode readBody(Exchange exchange) throws IOException {
        if (exchange.contentLength().orElse(0) > Limits.MAX_ROBOT_REQUEST_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = exchange.body()) {
            byte[] bytes = in.readNBytes(Limits.MAX_ROBOT_REQUEST_BYTES + 1);
            if (bytes.length > Limits.MAX_ROBOT_REQUEST_BYTES) {
                throw tooLarge();
            }
            return Exchange.JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Resources.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static void requireValid(String name) {
        if (!RobotAdministration.validName(name)) {
            throw noSuchRobot(name);
        }
    }

    private static RegistryException noSuchRobot(String name) {
        return RegistryException.withStatus(ErrorCode.NAME_UNKNOWN, 404, "no active robot named "
                + LogText.escape(name.length() > 64 ? name.substring(0, 64) + "…" : name));
    }

    private static RegistryException tooLarge() {
        return RegistryException.withStatus(ErrorCode.UNSUPPORTED, 413,
                "a robot request is limited to " + Limits.MAX_ROBOT_REQUEST_BYTES + " bytes");
    }

    private static Map<String, Object> credentials(String name, String secret) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("username", io.berth.auth.Principal.Robot.USERNAME_PREFIX + name);
        answer.put("secret", secret);
        return answer;
    }

    static Map<String, Object> describe(RobotRecord robot) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", robot.name());
        entry.put("state", robot.active() ? "active" : "revoked");
        entry.put("created", robot.createdAt().toString());
        entry.put("credentials-since", robot.credentialsSince().toString());
        entry.put("revoked", robot.revokedAt().map(Object::toString).orElse(null));
        entry.put("description", robot.description());
        return entry;
    }
}
