package io.berth.mirror;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.MirrorRecord;
import io.berth.metadata.StoredMirror;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The mirror catalogue kept in the metadata store: mirrors declared in the configuration file
 * (replaced at each start) and mirrors added with {@code berth mirror add}, with their crawl state.
 */
public final class MirrorCatalogue {
    private final MetadataStore metadata;
    private final Clock clock;

    public MirrorCatalogue(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** What {@link #remove} did. */
    public enum Removal { REMOVED, NOT_FOUND, DECLARED_IN_CONFIGURATION }

    /**
     * Makes the configuration file's mirrors those of the catalogue: new ones are added, changed ones
     * updated (crawl state kept), and ones no longer in the file removed. Mirrors added with
     * {@code berth mirror add} stay; a configured mirror may not take the name of one.
     */
    public void declareConfigured(List<Mirror> configured) {
        metadata.inTransaction(session -> {
            Set<String> added = session.mirrors().listMirrors().stream()
                    .filter(stored -> !stored.mirror().fromConfig()).map(stored -> stored.mirror().name())
                    .collect(Collectors.toSet());
            for (Mirror mirror : configured) {
                if (added.contains(mirror.name())) {
                    throw new IllegalArgumentException("mirror " + mirror.name()
                            + " is in the configuration file and was also added with 'berth mirror add'; remove one");
                }
                session.mirrors().putConfiguredMirror(toRecord(mirror, true));
            }
            session.mirrors().removeConfiguredMirrorsExcept(configured.stream().map(Mirror::name).collect(Collectors.toSet()));
            return null;
        });
    }

    /** Adds a mirror; false when one of that name exists. */
    public boolean add(Mirror mirror) {
        return metadata.inTransaction(session -> session.mirrors().addMirror(toRecord(mirror, false)));
    }

    public Removal remove(String name) {
        return metadata.inTransaction(session -> {
            var stored = session.mirrors().listMirrors().stream().filter(mirror -> mirror.mirror().name().equals(name)).findFirst();
            if (stored.isEmpty()) {
                return Removal.NOT_FOUND;
            }
            if (stored.get().mirror().fromConfig()) {
                return Removal.DECLARED_IN_CONFIGURATION;
            }
            session.mirrors().removeMirror(name);
            return Removal.REMOVED;
        });
    }

    /** Enables (forgetting failed crawls) or disables a mirror; false when there is none. */
    public boolean setEnabled(String name, boolean enabled) {
        return metadata.inTransaction(session -> session.mirrors().setMirrorEnabled(name, enabled));
    }

    public List<MirrorStatus> statuses() {
        return metadata.read(session -> session.mirrors().listMirrors()).stream().map(MirrorCatalogue::toStatus).toList();
    }

    /** The catalogue as it is now, ready to choose from. */
    public MirrorSnapshot snapshot() {
        return metadata.read(session -> MirrorSnapshot.of(
                session.mirrors().listMirrors().stream().map(MirrorCatalogue::toStatus).toList(),
                session.mirrors().latestPublishedMirrorGeneration(), clock.instant()));
    }

    static MirrorRecord toRecord(Mirror mirror, boolean fromConfig) {
        return new MirrorRecord(mirror.name(), mirror.baseUri().toString(), mirror.country(), mirror.continent(),
                mirror.netblocks().stream().map(Netblock::toString).toList(),
                mirror.autonomousSystems().stream().sorted().toList(), mirror.bandwidthMbps(), mirror.privateMirror(),
                mirror.allowedCountries().stream().sorted().toList(), mirror.enabled(), fromConfig);
    }

    static MirrorStatus toStatus(StoredMirror stored) {
        MirrorRecord record = stored.mirror();
        Mirror mirror = new Mirror(record.name(), URI.create(record.baseUrl()), record.country(), record.continent(),
                record.netblocks().stream().map(Netblock::parse).toList(), Set.copyOf(record.autonomousSystems()),
                record.bandwidthMbps(), record.privateMirror(), Set.copyOf(record.allowedCountries()), record.enabled(),
                record.fromConfig());
        return new MirrorStatus(mirror, stored.crawl().syncedGeneration(), stored.crawl().stale(),
                stored.crawl().consecutiveFailures(), stored.crawl().lastCrawlAt(), stored.crawl().lastError());
    }
}
