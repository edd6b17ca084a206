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
    public List<RepositoryName> searchRepositories(String fragment, Optional<String> after, int limit) {
        return store.get().read(session -> session.searchRepositories(fragment, after, limit));
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
    public Optional<Digest> setTagIfAbsent(RepositoryName repository, Tag tag, Digest manifest) {
        return store.get().inTransaction(session -> session.setTagIfAbsent(repository, tag, manifest));
    }

    @Override
    public Optional<Digest> lockTag(RepositoryName repository, Tag tag) {
        return store.get().read(session -> session.lockTag(repository, tag));
    }

    @Override
    public List<String> lockTagsOf(RepositoryName repository, Digest manifest) {
        return store.get().read(session -> session.lockTagsOf(repository, manifest));
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
    public Optional<LinkedBlob> linkedBlob(RepositoryName repository, Digest digest) {
        return store.get().read(session -> session.linkedBlob(repository, digest));
    }

    @Override
    public void recordPusher(RepositoryName repository, Digest digest, String principal) {
        store.get().inTransaction(session -> {
            session.recordPusher(repository, digest, principal);
            return null;
        });
    }

    @Override
    public Optional<String> pusher(RepositoryName repository, Digest digest) {
        return store.get().read(session -> session.pusher(repository, digest));
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
    public UploadQueries uploads() {
        return singleCalls(UploadQueries.class, MetadataSession::uploads);
    }

    @Override
    public RobotQueries robots() {
        return singleCalls(RobotQueries.class, MetadataSession::robots);
    }

    @Override
    public MirrorQueries mirrors() {
        return singleCalls(MirrorQueries.class, MetadataSession::mirrors);
    }

    @Override
    public PromotionQueries promotions() {
        return singleCalls(PromotionQueries.class, MetadataSession::promotions);
    }

    @Override
    public IntegrityQueries integrity() {
        return singleCalls(IntegrityQueries.class, MetadataSession::integrity);
    }

    @Override
    public GcQueries gc() {
        return singleCalls(GcQueries.class, MetadataSession::gc);
    }

    @Override
    public MaintenanceQueries maintenance() {
        return singleCalls(MaintenanceQueries.class, MetadataSession::maintenance);
    }

    @Override
    public QuotaQueries quotas() {
        return singleCalls(QuotaQueries.class, MetadataSession::quotas);
    }

    @Override
    public SigningKeyQueries signingKeys() {
        return singleCalls(SigningKeyQueries.class, MetadataSession::signingKeys);
    }

    @Override
    public OutboxQueries outbox() {
        return singleCalls(OutboxQueries.class, MetadataSession::outbox);
    }

    @Override
    public AuditQueries audit() {
        return singleCalls(AuditQueries.class, MetadataSession::audit);
    }

    /** One aggregate's queries, each call in a transaction of its own (a read commits nothing). */
    private <Q> Q singleCalls(Class<Q> queries, java.util.function.Function<MetadataSession, Q> aggregate) {
        return queries.cast(java.lang.reflect.Proxy.newProxyInstance(queries.getClassLoader(), new Class<?>[]{queries},
                (proxy, method, arguments) -> store.get().inTransaction(session -> {
                    try {
                        return method.invoke(aggregate.apply(session), arguments);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        if (e.getCause() instanceof RuntimeException runtime) {
                            throw runtime;
                        }
                        throw new IllegalStateException(e.getCause());
                    }
                })));
    }
}
