package io.berth.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The public keys the nodes sharing one metadata database sign their tokens with, found by key id,
 * so a token one node issued verifies on every other node without a shared private key.
 *
 * <p>Each running node publishes its key again every {@link #REPUBLISH_INTERVAL}; a key counts
 * while it was published within {@link #LIVENESS}, so the tokens of a node that stopped, or of a
 * key replaced on rotation, stop verifying within {@code LIVENESS} plus {@link #KNOWN_FOR}.
 *
 * <p>A key counts only when its id is its own JWK thumbprint (RFC 7638), so a published entry cannot
 * claim another key's id, and only its public part is used. An unknown id reloads the published
 * keys, at most once per {@link #RELOAD_INTERVAL}: tokens with made-up key ids cost at most one
 * query per interval, and a node started a moment ago is known within one interval.
 */
public final class PublishedKeys {
    /** How often a running node publishes its key again. */
    public static final Duration REPUBLISH_INTERVAL = Duration.ofMinutes(1);
    /** How recently a key must have been published to count. */
    public static final Duration LIVENESS = Duration.ofMinutes(5);
    /** How long keys read from the database are used before they are read again. */
    public static final Duration KNOWN_FOR = Duration.ofMinutes(1);
    /** The shortest time between two reads of the published keys. */
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(2);

    /** No other node: only this node's own key verifies its tokens. */
    public static final PublishedKeys NONE = new PublishedKeys(since -> Map.of(), Clock.systemUTC());

    private record Snapshot(Map<String, JWK> keys, Instant readAt) {
        boolean fresh(Instant now) {
            return readAt.plus(KNOWN_FOR).isAfter(now);
        }
    }

    private final Function<Instant, Map<String, String>> publishedSince;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.MIN);

    /** @param publishedSince the public keys (a JWK as JSON) by key id, published at the given time or later */
    public PublishedKeys(Function<Instant, Map<String, String>> publishedSince, Clock clock) {
        this.publishedSince = publishedSince;
        this.clock = clock;
    }

    /** The public key with {@code keyId} that a running node published, reading the published keys when needed. */
    public Optional<JWK> find(String keyId) {
        Instant now = clock.instant();
        Snapshot current = snapshot;
        if (!current.fresh(now) || !current.keys().containsKey(keyId)) {
            current = reload(now);
        }
        return current.fresh(now) ? Optional.ofNullable(current.keys().get(keyId)) : Optional.empty();
    }

    private synchronized Snapshot reload(Instant now) {
        if (snapshot.readAt().plus(RELOAD_INTERVAL).isAfter(now)) {
            return snapshot;
        }
        Map<String, JWK> keys = new HashMap<>();
        for (Map.Entry<String, String> entry : publishedSince.apply(now.minus(LIVENESS)).entrySet()) {
            selfNamed(entry.getKey(), entry.getValue()).ifPresent(key -> keys.put(entry.getKey(), key));
        }
        snapshot = new Snapshot(Map.copyOf(keys), now);
        return snapshot;
    }

    /** The public part of {@code json} when it parses and {@code keyId} is its thumbprint. */
    private static Optional<JWK> selfNamed(String keyId, String json) {
        try {
            JWK key = JWK.parse(json).toPublicJWK();
            return key != null && key.computeThumbprint().toString().equals(keyId) ? Optional.of(key) : Optional.empty();
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }
}
