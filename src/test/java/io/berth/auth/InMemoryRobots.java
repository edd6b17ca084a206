package io.berth.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Robot accounts in a map, as the metadata store would keep them: active robots only answer. */
final class InMemoryRobots implements RobotAccounts {
    private final Map<String, String> activeHashes = new ConcurrentHashMap<>();

    /** Creates a robot and returns its secret, shown once as {@code berth robot create} does. */
    String create(String name) {
        String secret = RobotSecrets.newSecret();
        activeHashes.put(name, RobotSecrets.hash(secret));
        return secret;
    }

    void revoke(String name) {
        activeHashes.remove(name);
    }

    @Override
    public Optional<String> secretHash(String robotName) {
        return Optional.ofNullable(activeHashes.get(robotName));
    }
}
