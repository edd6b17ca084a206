package io.berth.server;

import com.nimbusds.jose.jwk.ECKey;
import io.berth.auth.PublishedKeys;
import io.berth.config.ConfigException;
import io.berth.metadata.MetadataStore;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the public half of this node's token-signing key in the metadata database, at start and
 * again every {@link PublishedKeys#REPUBLISH_INTERVAL} while the node runs, so every node sharing
 * the database verifies the tokens this node issues ({@link PublishedKeys}, docs/scale-out.md).
 */
final class SigningKeyPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyPublisher.class);

    private final String keyId;
    private final String publicJwk;
    private final MetadataStore metadata;
    private final Clock clock;
    private final ScheduledExecutorService schedule = BackgroundThreads.scheduler("berth-signing-key");

    private SigningKeyPublisher(ECKey signingKey, MetadataStore metadata, Clock clock) {
        this.keyId = signingKey.getKeyID();
        this.publicJwk = signingKey.toPublicJWK().toJSONString();
        this.metadata = metadata;
        this.clock = clock;
    }

    /**
     * Publishes the key now, then keeps publishing it.
     *
     * @throws ConfigException when the database holds another key under this key's id
     */
    static SigningKeyPublisher start(ECKey signingKey, MetadataStore metadata, Clock clock) {
        SigningKeyPublisher publisher = new SigningKeyPublisher(signingKey, metadata, clock);
        if (!publisher.publish()) {
            throw new ConfigException("auth: the metadata database holds another key under this node's signing key id "
                    + publisher.keyId);
        }
        long interval = PublishedKeys.REPUBLISH_INTERVAL.toMillis();
        publisher.schedule.scheduleWithFixedDelay(publisher::publishQuietly, interval, interval, TimeUnit.MILLISECONDS);
        return publisher;
    }

    private boolean publish() {
        return metadata.inTransaction(session -> session.signingKeys().publishSigningKey(keyId, publicJwk, clock.instant()));
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) {
            LOG.warn("cannot publish this node's token-signing key {} again; other nodes stop accepting its tokens {}"
                    + " after the last publication unless a later attempt succeeds: {}", keyId, PublishedKeys.LIVENESS,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        BackgroundThreads.stop(schedule);
    }
}
