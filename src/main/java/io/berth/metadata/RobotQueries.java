package io.berth.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Robot accounts for build systems. */
public interface RobotQueries {

    /**
     * Creates a robot, or creates it again under the name of a revoked one (whose row it replaces:
     * the revoked robot's tokens stay void, as their issue time precedes the new credentials).
     * False when an active robot of that name exists.
     */
    boolean createRobot(RobotRecord robot);

    Optional<RobotRecord> robot(String name);

    /** Every robot, by name. */
    List<RobotRecord> listRobots();

    /** Revokes an active robot; false when there is no such active robot. */
    boolean revokeRobot(String name, Instant revokedAt);

    /**
     * Gives an active robot a new secret, valid from {@code at}: the old secret, and every token
     * issued before {@code at}, stop working. False when there is no such active robot.
     */
    boolean rotateSecret(String name, String secretHash, Instant at);
}
