package io.berth.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Robot accounts for build systems. */
public interface RobotQueries {

    /** Creates a robot; false when one of that name exists (revoked or not). */
    boolean createRobot(RobotRecord robot);

    Optional<RobotRecord> robot(String name);

    /** Every robot, by name. */
    List<RobotRecord> listRobots();

    /** Revokes an active robot; false when there is no such active robot. */
    boolean revokeRobot(String name, Instant revokedAt);
}
