package io.berth.auth;

import java.util.Optional;

/** Where robot accounts live: the hash of each active robot's secret. */
@FunctionalInterface
public interface RobotAccounts {

    /** The secret hash of an active (not revoked) robot, or empty. */
    Optional<String> secretHash(String robotName);
}
