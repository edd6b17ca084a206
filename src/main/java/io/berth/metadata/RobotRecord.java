package io.berth.metadata;

import java.time.Instant;
import java.util.Optional;

/** A robot account as stored: never its secret, only the secret's hash. */
public record RobotRecord(String name, String secretHash, String description, Instant createdAt,
                          Optional<Instant> revokedAt) {

    public boolean active() {
        return revokedAt.isEmpty();
    }
}
