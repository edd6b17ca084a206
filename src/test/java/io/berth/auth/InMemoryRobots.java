package io.berth.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Robot accounts in a map, as the metadata store would keep them: active robots only answer. */
final class InMemoryRobots implements RobotAccounts {
    private final Map<String, ActiveRobot> active = new ConcurrentHashMap<>();

    /** Creates a robot and returns its secret, shown once as {@code berth robot create} does. */
    String create(String name) {
        return create(name, java.time.Instant.EPOCH);
    }

    /** Creates a robot (or creates it again, or rotates its secret) with credentials valid since {@code since}. */
    String create(String name, java.time.Instant since) {
        String secret = RobotSecrets.newSecret();
        active.put(name, new ActiveRobot(RobotSecrets.hash(secret), since));
        return secret;
    }

    void revoke(String name) {
        active.remove(name);
    }

    @Override
    public Optional<ActiveRobot> robot(String robotName) {
        return Optional.ofNullable(active.get(robotName));
    }
}
