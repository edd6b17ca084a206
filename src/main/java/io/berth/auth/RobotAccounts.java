package io.berth.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Where robot accounts live: each active robot's secret hash and since when that secret is valid. */
@FunctionalInterface
public interface RobotAccounts {

    /**
     * An active robot's credentials.
     *
     * @param secretHash        the hash of its current secret
     * @param credentialsSince  when that secret was issued: creating the robot, creating it again
     *                          under a revoked robot's name, or rotating its secret. Tokens issued
     *                          before it (to the second) no longer speak for the robot.
     */
    record ActiveRobot(String secretHash, Instant credentialsSince) {
        public ActiveRobot {
            Objects.requireNonNull(secretHash);
            Objects.requireNonNull(credentialsSince);
        }
    }

    /** The credentials of an active (not revoked) robot, or empty. */
    Optional<ActiveRobot> robot(String robotName);
}
