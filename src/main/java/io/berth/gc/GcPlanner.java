package io.berth.gc;

import io.berth.metadata.BlobLink;
import io.berth.metadata.GcQueries;
import io.berth.metadata.GcReview;
import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RecordedBlob;
import io.berth.metadata.RepositoryRecord;
import io.berth.metadata.TagRecord;
import io.berth.oci.Digest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Works out, reading only, what a pass would remove now: retention's tags and the manifests they
 * leave untagged, untagged manifests past their age, the links only those manifests (or none)
 * reference once past their grace, and the blobs no link would remain to. Empty repositories and
 * mirror generations are not listed; they free no blob bytes.
 */
public final class GcPlanner {
    private final MetadataStore metadata;
    private final Clock clock;
    private final GcPolicy policy;

    public GcPlanner(MetadataStore metadata, Clock clock, GcPolicy policy) {
        this.metadata = metadata;
        this.clock = clock;
        this.policy = policy;
    }

    public GcPlan plan() {
        return metadata.read(this::plan);
    }

    private GcPlan plan(MetadataSession session) {
        GcQueries gc = session.gc();
        Instant now = clock.instant();
        Map<Long, RepositoryRecord> repositories = repositories(gc);
        List<String> tags = new ArrayList<>();
        Set<GcReview> manifests = new LinkedHashSet<>();
        for (RepositoryRecord repository : repositories.values()) {
            policy.retentionFor(repository.name()).ifPresent(rule -> {
                List<TagRecord> all = gc.tags(repository.id());
                List<TagRecord> going = rule.expired(all, now).stream()
                        .filter(tag -> !policy.tagGuard().guarded(repository.name(), tag.name()))
                        .filter(tag -> !gc.manifestPromoted(repository.id(), tag.manifest()))
                        .toList();
                going.forEach(tag -> tags.add(repository.name() + ":" + tag.name()));
                Set<Digest> stillTagged = new java.util.HashSet<>();
                all.stream().filter(tag -> !going.contains(tag)).forEach(tag -> stillTagged.add(tag.manifest()));
                going.stream().map(TagRecord::manifest).distinct()
                        .filter(manifest -> !stillTagged.contains(manifest))
                        .filter(manifest -> gc.manifestPushedAt(repository.id(), manifest)
                                .filter(pushed -> pushed.isBefore(now.minus(rule.olderThan()))).isPresent())
                        .filter(manifest -> !gc.manifestKeptBesidesTags(repository.id(), manifest))
                        .forEach(manifest -> manifests.add(manifestReview(repository.id(), manifest)));
            });
        }
        policy.untaggedAfter().ifPresent(age -> gc.untaggedManifests(now.minus(age)).stream()
                .filter(review -> !gc.manifestKeptBesidesTags(review.repositoryId(), Digest.parse(review.digest())))
                .forEach(manifests::add));

        Instant linkedBefore = now.minus(policy.grace());
        Set<GcReview> links = new LinkedHashSet<>(gc.unreferencedLinks(linkedBefore));
        for (GcReview manifest : manifests) {
            for (Digest blob : gc.blobReferencesOf(manifest.repositoryId(), Digest.parse(manifest.digest()))) {
                boolean onlyGoingManifests = gc.manifestsReferencing(manifest.repositoryId(), blob).stream()
                        .allMatch(referrer -> manifests.contains(manifestReview(manifest.repositoryId(), referrer)));
                boolean pastGrace = gc.linksOf(blob).stream().anyMatch(link -> link.repositoryId() == manifest.repositoryId()
                        && link.linkedAt().isBefore(linkedBefore));
                if (onlyGoingManifests && pastGrace) {
                    links.add(new GcReview(io.berth.metadata.ReviewKind.LINK, manifest.repositoryId(), blob.toString()));
                }
            }
        }

        Map<String, Long> blobs = new java.util.TreeMap<>();
        for (RecordedBlob blob : gc.unlinkedBlobs()) {
            blobs.put(blob.digest().toString(), blob.size());
        }
        for (GcReview link : links) {
            Digest digest = Digest.parse(link.digest());
            List<BlobLink> all = gc.linksOf(digest);
            boolean noneLeft = all.stream().allMatch(other -> links.contains(
                    new GcReview(io.berth.metadata.ReviewKind.LINK, other.repositoryId(), link.digest())));
            if (noneLeft) {
                session.blobSize(digest).ifPresent(size -> blobs.put(link.digest(), size));
            }
        }
        return new GcPlan(tags,
                manifests.stream().map(review -> name(repositories, review) + "@" + review.digest()).toList(),
                links.stream().map(review -> name(repositories, review) + "@" + review.digest()).toList(),
                blobs.entrySet().stream().map(entry -> new GcPlan.PlannedBlob(entry.getKey(), entry.getValue())).toList());
    }

    private static GcReview manifestReview(long repositoryId, Digest manifest) {
        return new GcReview(io.berth.metadata.ReviewKind.MANIFEST, repositoryId, manifest.toString());
    }

    private static String name(Map<Long, RepositoryRecord> repositories, GcReview review) {
        RepositoryRecord repository = repositories.get(review.repositoryId());
        return repository == null ? "#" + review.repositoryId() : repository.name().value();
    }

    private static Map<Long, RepositoryRecord> repositories(GcQueries gc) {
        Map<Long, RepositoryRecord> all = new HashMap<>();
        long after = 0;
        while (true) {
            List<RepositoryRecord> page = gc.repositories(after, 1000);
            page.forEach(repository -> all.put(repository.id(), repository));
            if (page.size() < 1000) {
                return all;
            }
            after = page.getLast().id();
        }
    }
}
