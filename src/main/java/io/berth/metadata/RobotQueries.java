package io.berth.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Robot accounts for build systems. */
public interface RobotQueries {

    /**
     * Creates a robot, or creates it again under the name of a revoked one (whose row it replaces:
     * the revoked robot's tokens stay void, as they name its credentials). The credentials of a
     * robot created again are always later than those of the one it replaces, by a millisecond if
     * the clock says otherwise. False when an active robot of that name exists.
     */
    boolean createRobot(RobotRecord robot);

    Optional<RobotRecord> robot(String name);

    /** Every robot, by name. */
    List<RobotRecord> listRobots();

    /** Revokes an active robot; false when there is no such active robot. */
    boolean revokeRobot(String name, Instant revokedAt);

    /**
     * Gives an active robot a new secret, issued at {@code at} (or a millisecond after its previous
     * one, whichever is later: every secret of a robot has its own time): the old secret, and every
     * token issued for it, stop working. False when there is no such active robot.
     */
    boolean rotateSecret(String name, String secretHash, Instant at);
}
