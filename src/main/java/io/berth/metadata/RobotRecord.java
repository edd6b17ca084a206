package io.berth.metadata;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A robot account as stored: never its secret, only the secret's hash.
 *
 * @param credentialsSince when the current secret was issued (creation, creation again under the
 *                         name of a revoked robot, or rotation); tokens issued before it are void
 */
public record RobotRecord(String name, String secretHash, String description, Instant createdAt,
                          Optional<Instant> revokedAt, Instant credentialsSince) {

    public RobotRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(secretHash);
        Objects.requireNonNull(description);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(revokedAt);
        Objects.requireNonNull(credentialsSince);
    }

    /** A robot whose secret dates from its creation. */
    public RobotRecord(String name, String secretHash, String description, Instant createdAt, Optional<Instant> revokedAt) {
        this(name, secretHash, description, createdAt, revokedAt, createdAt);
    }

    public boolean active() {
        return revokedAt.isEmpty();
    }
}
