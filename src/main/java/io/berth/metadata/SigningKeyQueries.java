package io.berth.metadata;

import java.time.Instant;
import java.util.Map;

/**
 * The public token-signing keys of the nodes sharing this database. Only public keys are kept
 * here: a node's private key never leaves its data directory or configuration.
 */
public interface SigningKeyQueries {

    /**
     * Publishes a node's public key under {@code keyId}, or, when it is published already, records
     * that a node started with it again. A different key under the same id is never replaced.
     *
     * @return whether the key stored under {@code keyId} is {@code publicJwk}
     */
    boolean publishSigningKey(String keyId, String publicJwk, Instant at);

    /**
     * The public keys (a JWK as JSON) published or published again at {@code since} or later, by
     * key id: those of the nodes running now, as each node publishes its key again while it runs.
     */
    Map<String, String> publishedSigningKeys(Instant since);
}
