package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A {@link MetadataSession} over a store that runs every query on its own: reads with
 * {@link MetadataStore#read}, changes in a transaction of their own. Tests use it to look at what
 * is committed, and to make one-statement changes, in a single readable call.
 */
final class SingleCallSession implements MetadataSession {
    private final Supplier<MetadataStore> store;

    /** Takes the store from {@code store} at each call, so that a test may reopen it. */
    SingleCallSession(Supplier<MetadataStore> store) {
        this.store = store;
    }

    @Override
    public boolean repositoryExists(RepositoryName name) {
        return store.get().read(session -> session.repositoryExists(name));
    }

    @Override
    public List<RepositoryName> listRepositories(Optional<String> after, int limit) {
        return store.get().read(session -> session.listRepositories(after, limit));
    }

    @Override
    public void recordBlob(Digest digest, long size) {
        store.get().inTransaction(session -> {
            session.recordBlob(digest, size);
            return null;
        });
    }

    @Override
    public OptionalLong blobSize(Digest digest) {
        return store.get().read(session -> session.blobSize(digest));
    }

    @Override
    public void linkBlob(RepositoryName repository, Digest digest) {
        store.get().inTransaction(session -> {
            session.linkBlob(repository, digest);
            return null;
        });
    }

    @Override
    public OptionalLong linkedBlobSize(RepositoryName repository, Digest digest) {
        return store.get().read(session -> session.linkedBlobSize(repository, digest));
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        return store.get().inTransaction(session -> session.unlinkBlob(repository, digest));
    }

    @Override
    public void putManifest(RepositoryName repository, ManifestRecord manifest) {
        store.get().inTransaction(session -> {
            session.putManifest(repository, manifest);
            return null;
        });
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repository, Digest digest) {
        return store.get().read(session -> session.manifest(repository, digest));
    }

    @Override
    public Optional<StoredManifest> manifestByTag(RepositoryName repository, Tag tag) {
        return store.get().read(session -> session.manifestByTag(repository, tag));
    }

    @Override
    public boolean manifestExists(RepositoryName repository, Digest digest) {
        return store.get().read(session -> session.manifestExists(repository, digest));
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest) {
        return store.get().inTransaction(session -> session.deleteManifest(repository, digest));
    }

    @Override
    public List<ReferrerRecord> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
        return store.get().read(session -> session.referrers(repository, subject, artifactType));
    }

    @Override
    public Optional<Digest> setTag(RepositoryName repository, Tag tag, Digest manifest) {
        return store.get().inTransaction(session -> session.setTag(repository, tag, manifest));
    }

    @Override
    public boolean deleteTag(RepositoryName repository, Tag tag) {
        return store.get().inTransaction(session -> session.deleteTag(repository, tag));
    }

    @Override
    public List<String> listTags(RepositoryName repository, Optional<String> after, int limit) {
        return store.get().read(session -> session.listTags(repository, after, limit));
    }

    @Override
    public void createUpload(UploadRecord upload) {
        store.get().inTransaction(session -> {
            session.createUpload(upload);
            return null;
        });
    }

    @Override
    public Optional<UploadRecord> upload(String id) {
        return store.get().read(session -> session.upload(id));
    }

    @Override
    public void updateUploadSize(String id, long size, Instant updatedAt) {
        store.get().inTransaction(session -> {
            session.updateUploadSize(id, size, updatedAt);
            return null;
        });
    }

    @Override
    public boolean deleteUpload(String id) {
        return store.get().inTransaction(session -> session.deleteUpload(id));
    }

    @Override
    public boolean createRobot(RobotRecord robot) {
        return store.get().inTransaction(session -> session.createRobot(robot));
    }

    @Override
    public java.util.Optional<RobotRecord> robot(String name) {
        return store.get().read(session -> session.robot(name));
    }

    @Override
    public java.util.List<RobotRecord> listRobots() {
        return store.get().read(MetadataSession::listRobots);
    }

    @Override
    public boolean revokeRobot(String name, java.time.Instant revokedAt) {
        return store.get().inTransaction(session -> session.revokeRobot(name, revokedAt));
    }

    @Override
    public Optional<LinkedBlob> linkedBlob(RepositoryName repository, Digest digest) {
        return store.get().read(session -> session.linkedBlob(repository, digest));
    }

    @Override
    public List<StoredMirror> listMirrors() {
        return store.get().read(MetadataSession::listMirrors);
    }

    @Override
    public boolean addMirror(MirrorRecord mirror) {
        return store.get().inTransaction(session -> session.addMirror(mirror));
    }

    @Override
    public void putConfiguredMirror(MirrorRecord mirror) {
        store.get().inTransaction(session -> {
            session.putConfiguredMirror(mirror);
            return null;
        });
    }

    @Override
    public int removeConfiguredMirrorsExcept(java.util.Set<String> keep) {
        return store.get().inTransaction(session -> session.removeConfiguredMirrorsExcept(keep));
    }

    @Override
    public boolean removeMirror(String name) {
        return store.get().inTransaction(session -> session.removeMirror(name));
    }

    @Override
    public boolean setMirrorEnabled(String name, boolean enabled) {
        return store.get().inTransaction(session -> session.setMirrorEnabled(name, enabled));
    }

    @Override
    public void recordCrawlSuccess(String name, long generation, Instant at) {
        store.get().inTransaction(session -> {
            session.recordCrawlSuccess(name, generation, at);
            return null;
        });
    }

    @Override
    public void recordCrawlFailure(String name, String error, Instant at, int disableAfter) {
        store.get().inTransaction(session -> {
            session.recordCrawlFailure(name, error, at, disableAfter);
            return null;
        });
    }

    @Override
    public boolean takeCrawlLease(String holder, Instant now, Instant until) {
        return store.get().inTransaction(session -> session.takeCrawlLease(holder, now, until));
    }

    @Override
    public OptionalLong latestMirrorGeneration() {
        return store.get().read(MetadataSession::latestMirrorGeneration);
    }

    @Override
    public OptionalLong startMirrorGeneration(Instant at) {
        return store.get().inTransaction(session -> session.startMirrorGeneration(at));
    }

    @Override
    public void publishMirrorGeneration(long generation, Instant at) {
        store.get().inTransaction(session -> {
            session.publishMirrorGeneration(generation, at);
            return null;
        });
    }

    @Override
    public OptionalLong latestPublishedMirrorGeneration() {
        return store.get().read(MetadataSession::latestPublishedMirrorGeneration);
    }

    @Override
    public List<Long> mirrorGenerations() {
        return store.get().read(MetadataSession::mirrorGenerations);
    }

    @Override
    public void forEachBlobOfGeneration(long generation, java.util.function.Consumer<GenerationBlob> each) {
        store.get().read(session -> {
            session.forEachBlobOfGeneration(generation, each);
            return null;
        });
    }

    @Override
    public List<GenerationBlob> sampleGenerationBlobs(long from, long to, int count) {
        return store.get().read(session -> session.sampleGenerationBlobs(from, to, count));
    }

    @Override
    public Optional<Instant> manifestStoredAt(RepositoryName repository, Digest digest) {
        return store.get().read(session -> session.manifestStoredAt(repository, digest));
    }

    @Override
    public List<String> tagsOf(RepositoryName repository, Digest manifest) {
        return store.get().read(session -> session.tagsOf(repository, manifest));
    }

    @Override
    public long recordPromotion(PromotionRecord promotion) {
        return store.get().inTransaction(session -> session.recordPromotion(promotion));
    }

    @Override
    public List<StoredPromotion> listPromotions(PromotionFilter filter) {
        return store.get().read(session -> session.listPromotions(filter));
    }
}
