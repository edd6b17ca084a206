package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.PromotionFilter;
import io.berth.metadata.StoredPromotion;
import io.berth.promotion.PromotionRequest;
import io.berth.promotion.PromotionService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The promotion operations {@code berth promote} and {@code berth promotions} run over the configured stores. */
public final class PromotionTools {
    private PromotionTools() {
    }

    /**
     * Promotes inside this registry, with the configuration's rules, gates and tag protection, as a
     * server would; the operator may move protected tags, never immutable ones.
     */
    public static StoredPromotion promote(BerthConfig config, PromotionRequest request) {
        Clock clock = Clock.systemUTC();
        try (MetadataStore metadata = BerthServer.openMetadata(config, clock)) {
            Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
            PromotionService service = new PromotionService(metadata, BerthServer.openBlobStore(config, dataDir),
                    PromotionSetup.rules(config.promotion()), clock, TagProtectionSetup.protection(config.tagProtection()),
                    QuotaSetup.targetQuota(QuotaSetup.quotas(config.quotas())), EventSetup.auditedRecorder(config.events(), clock));
            return service.promote(request, io.berth.protection.TagWriter.LOCAL_OPERATOR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store: " + e.getMessage(), e);
        }
    }

    /** Promotes to a repository of another registry over its API ({@link PromotionService#promoteTo}). */
    public static StoredPromotion promoteTo(BerthConfig config, io.berth.promotion.RemoteRegistry remote,
                                            PromotionRequest request) {
        Clock clock = Clock.systemUTC();
        try (MetadataStore metadata = BerthServer.openMetadata(config, clock)) {
            Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
            PromotionService service = new PromotionService(metadata, BerthServer.openBlobStore(config, dataDir),
                    PromotionSetup.rules(config.promotion()), clock, io.berth.protection.TagProtection.NONE,
                    io.berth.promotion.TargetQuota.NONE, EventSetup.auditedRecorder(config.events(), clock));
            return service.promoteTo(remote, request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store: " + e.getMessage(), e);
        }
    }

    public static List<StoredPromotion> list(BerthConfig config, PromotionFilter filter) {
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            return metadata.read(session -> session.promotions().listPromotions(filter));
        }
    }
}
