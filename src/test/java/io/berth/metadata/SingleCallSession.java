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
}
