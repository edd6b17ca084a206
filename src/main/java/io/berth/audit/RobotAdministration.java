package io.berth.audit;

import io.berth.events.EventOrigin;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RobotRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Robot accounts changed as the trail records them: every creation, rotation and revocation is
 * audited in its own transaction, whether it comes from {@code berth robot} on the data directory
 * or from {@code /berth/v1/robots}. Secrets are made and hashed by the caller; only hashes come here.
 */
public final class RobotAdministration {
    /** A robot's name: 1–64 of lowercase letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** The longest description kept. */
    public static final int MAX_DESCRIPTION = 256;

    /** What creating a robot did. */
    public enum Created {
        /** A new robot. */
        NEW,
        /** A new robot under the name of a revoked one, whose tokens stay void. */
        REPLACED_REVOKED,
        /** Nothing: an active robot has that name. */
        NAME_TAKEN
    }

    private final MetadataStore metadata;
    private final AuditTrail trail;
    private final Clock clock;

    public RobotAdministration(MetadataStore metadata, AuditTrail trail, Clock clock) {
        this.metadata = metadata;
        this.trail = trail;
        this.clock = clock;
    }

    /** Whether {@code name} can name a robot. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Creates robot {@code name} with the secret whose hash is {@code secretHash}, on behalf of {@code origin}. */
    public Created create(String name, String secretHash, String description, EventOrigin origin) {
        requireValid(name);
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("a robot's description is at most " + MAX_DESCRIPTION + " characters");
        }
        Instant now = clock.instant();
        return metadata.inTransaction(session -> {
            boolean revokedBefore = session.robots().robot(name).map(robot -> !robot.active()).orElse(false);
            if (!session.robots().createRobot(new RobotRecord(name, secretHash, description, now, Optional.empty()))) {
                return Created.NAME_TAKEN;
            }
            trail.record(session, origin, AuditAction.ROBOT_CREATED, Optional.empty(),
                    Map.of("robot", name, "description", description, "replaces_revoked", revokedBefore));
            return revokedBefore ? Created.REPLACED_REVOKED : Created.NEW;
        });
    }

    /** Gives active robot {@code name} a new secret; false when there is no such active robot. */
    public boolean rotate(String name, String secretHash, EventOrigin origin) {
        requireValid(name);
        Instant now = clock.instant();
        return metadata.inTransaction(session -> {
            if (!session.robots().rotateSecret(name, secretHash, now)) {
                return false;
            }
            trail.record(session, origin, AuditAction.ROBOT_ROTATED, Optional.empty(), Map.of("robot", name));
            return true;
        });
    }

    /** Revokes active robot {@code name}; false when there is no such active robot. */
    public boolean revoke(String name, EventOrigin origin) {
        requireValid(name);
        Instant now = clock.instant();
        return metadata.inTransaction(session -> {
            if (!session.robots().revokeRobot(name, now)) {
                return false;
            }
            trail.record(session, origin, AuditAction.ROBOT_REVOKED, Optional.empty(), Map.of("robot", name));
            return true;
        });
    }

    /** Every robot, by name (never a secret; the hashes stay in the records). */
    public List<RobotRecord> list() {
        return metadata.read(session -> session.robots().listRobots());
    }

    private static void requireValid(String name) {
        if (!validName(name)) {
            throw new IllegalArgumentException("robot names are 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
    }
}
