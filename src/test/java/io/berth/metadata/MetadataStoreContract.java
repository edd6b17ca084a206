package io.berth.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MetadataStore} must have, whatever database is behind it. A backend's
 * test extends this class and says how to open a fresh, empty store; every test here then runs
 * against it.
 *
 * <p>The rules come from the distribution spec as the registry layer applies them: a repository
 * exists once it has content, and the catalog and tag lists are in byte order with {@code last}/{@code n}
 * paging ("Listing Tags"); a blob is readable only through a repository that links it ("Pulling
 * blobs"); deleting a manifest by digest removes its tags ("Deleting Manifests"); referrers are the
 * manifests whose {@code subject} is a digest, optionally of one {@code artifactType} ("Listing Referrers").
 */
public abstract class MetadataStoreContract implements ManifestQueriesContract, TransactionContract,
        MirrorAndPromotionQueriesContract, IntegrityQueriesContract, TagClaimContract,
        MaintenanceAndQuotaQueriesContract, SigningKeyQueriesContract, OutboxQueriesContract, AuditAndRobotQueriesContract,
        LockOrderContract {
    /** Times are kept to the millisecond, so the test clock stays on whole milliseconds. */
    protected final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    protected MetadataStore store;
    /** The store one call at a time: each query on its own, each change in its own transaction. */
    protected final MetadataSession metadata = new SingleCallSession(() -> store);

    /** Opens a new, empty store that reads the time from {@code clock}. */
    protected abstract MetadataStore openStore(Clock clock);

    @Override
    public final MetadataSession metadata() {
        return metadata;
    }

    @Override
    public final MetadataStore store() {
        return store;
    }

    @Override
    public final MutableClock clock() {
        return clock;
    }

    @BeforeEach
    void openTheStore() {
        store = openStore(clock);
    }

    @AfterEach
    void closeTheStore() {
        store.close();
    }

    // --- repositories ---------------------------------------------------------------------------

    @Test
    void newStoreHasNoRepositories() {
        assertThat(metadata.listRepositories(Optional.empty(), 100)).isEmpty();
        assertThat(metadata.repositoryExists(name("a"))).isFalse();
    }

    @Test
    void repositoryWithOnlyABlobExistsButIsNotInTheCatalog() {
        Digest blob = recordedBlob("layer", 5);

        metadata.linkBlob(name("library/ubuntu"), blob);

        assertThat(metadata.repositoryExists(name("library/ubuntu"))).isTrue();
        assertThat(metadata.listRepositories(Optional.empty(), 100)).as("no manifest yet").isEmpty();
    }

    @Test
    void catalogListsRepositoriesWithTaggedOrUntaggedManifestsOnly() {
        Digest blob = recordedBlob("layer", 5);
        ManifestRecord tagged = manifest("tagged");
        write(session -> {
            session.linkBlob(name("blobs-only"), blob);
            session.linkBlob(name("tagged"), blob);
            session.putManifest(name("tagged"), tagged);
            session.setTag(name("tagged"), tag("latest"), tagged.digest());
            session.putManifest(name("untagged"), manifest("untagged"));
        });

        assertThat(metadata.listRepositories(Optional.empty(), 100)).containsExactly(name("tagged"), name("untagged"));
        assertThat(metadata.listRepositories(Optional.of("blobs-only"), 1)).as("paging skips it too")
                .containsExactly(name("tagged"));
    }

    @Test
    void searchListsTheNamesContainingTheFragmentLiterallyInOrderAndPaged() {
        write(session -> {
            for (String repository : java.util.List.of("fedora/toolbox", "fedora/httpd", "tools/box_a", "tools/boxxa", "web")) {
                session.putManifest(name(repository), manifest(repository));
            }
        });

        assertThat(metadata.searchRepositories("box", Optional.empty(), 100))
                .containsExactly(name("fedora/toolbox"), name("tools/box_a"), name("tools/boxxa"));
        assertThat(metadata.searchRepositories("box", Optional.of("fedora/toolbox"), 1)).containsExactly(name("tools/box_a"));
        assertThat(metadata.searchRepositories("box_", Optional.empty(), 100)).as("_ is not a wildcard")
                .containsExactly(name("tools/box_a"));
        assertThat(metadata.searchRepositories("%", Optional.empty(), 100)).as("nor is %").isEmpty();
        assertThat(metadata.searchRepositories("\\", Optional.empty(), 100)).as("nor a backslash an escape").isEmpty();
    }

    @Test
    void repositoryAppearsWhenAManifestIsPutIntoIt() {
        metadata.putManifest(name("app"), manifest("one"));

        assertThat(metadata.repositoryExists(name("app"))).isTrue();
        assertThat(metadata.listRepositories(Optional.empty(), 100)).containsExactly(name("app"));
    }

    @Test
    void repositoryWithOnlyAnUploadSessionDoesNotExist() {
        metadata.uploads().createUpload(upload(name("pending")));

        assertThat(metadata.repositoryExists(name("pending"))).isFalse();
        assertThat(metadata.listRepositories(Optional.empty(), 100)).isEmpty();
    }

    @Test
    void repositoryDisappearsWithItsLastContent() {
        Digest blob = recordedBlob("layer", 5);
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.linkBlob(name("app"), blob);
            session.putManifest(name("app"), manifest);
        });

        metadata.unlinkBlob(name("app"), blob);
        assertThat(metadata.repositoryExists(name("app"))).as("a manifest is still there").isTrue();

        metadata.deleteManifest(name("app"), manifest.digest());
        assertThat(metadata.repositoryExists(name("app"))).isFalse();
        assertThat(metadata.listRepositories(Optional.empty(), 100)).isEmpty();
    }

    @Test
    void catalogIsInByteOrder() {
        Digest blob = recordedBlob("layer", 5);
        List<String> names = List.of("b", "a_b", "a0", "a/b", "a.b", "a-b", "a", "library/ubuntu", "library");
        write(session -> names.forEach(name -> {
            session.linkBlob(name(name), blob);
            session.putManifest(name(name), manifest("one"));
        }));

        assertThat(metadata.listRepositories(Optional.empty(), 100))
                .extracting(RepositoryName::value)
                .containsExactly("a", "a-b", "a.b", "a/b", "a0", "a_b", "b", "library", "library/ubuntu");
    }

    @Test
    void catalogPagesWithAfterAndLimit() {
        Digest blob = recordedBlob("layer", 5);
        write(session -> List.of("e", "d", "c", "b", "a").forEach(name -> {
            session.linkBlob(name(name), blob);
            session.putManifest(name(name), manifest("one"));
        }));

        assertThat(catalogPage(Optional.empty(), 2)).containsExactly("a", "b");
        assertThat(catalogPage(Optional.of("b"), 2)).containsExactly("c", "d");
        assertThat(catalogPage(Optional.of("d"), 2)).containsExactly("e");
        assertThat(catalogPage(Optional.of("e"), 2)).isEmpty();
        assertThat(catalogPage(Optional.of("bb"), 10)).as("after a name that is not there").containsExactly("c", "d", "e");
        assertThat(catalogPage(Optional.empty(), 10)).containsExactly("a", "b", "c", "d", "e");
    }

    // --- blobs ----------------------------------------------------------------------------------

    @Test
    void recordedBlobHasItsSize() {
        Digest blob = recordedBlob("config", 7);

        assertThat(metadata.blobSize(blob)).hasValue(7);
        assertThat(metadata.blobSize(digest("never recorded"))).isEmpty();
    }

    @Test
    void recordingABlobAgainIsHarmless() {
        Digest blob = recordedBlob("config", 7);

        metadata.recordBlob(blob, 7);

        assertThat(metadata.blobSize(blob)).hasValue(7);
    }

    @Test
    void linkedBlobIsVisibleOnlyThroughTheRepositoryThatLinksIt() {
        Digest blob = recordedBlob("layer", 42);

        metadata.linkBlob(name("a"), blob);

        assertThat(metadata.linkedBlobSize(name("a"), blob)).hasValue(42);
        assertThat(metadata.linkedBlobSize(name("b"), blob)).isEmpty();
        assertThat(metadata.blobSize(blob)).as("the blob itself is recorded once for all").hasValue(42);
    }

    @Test
    void linkingIsIdempotent() {
        Digest blob = recordedBlob("layer", 42);

        write(session -> {
            session.linkBlob(name("a"), blob);
            session.linkBlob(name("a"), blob);
        });

        assertThat(metadata.linkedBlobSize(name("a"), blob)).hasValue(42);
        assertThat(metadata.unlinkBlob(name("a"), blob)).isTrue();
        assertThat(metadata.linkedBlobSize(name("a"), blob)).isEmpty();
    }

    @Test
    void unlinkingLeavesOtherRepositoriesAndTheBlobRecord() {
        Digest blob = recordedBlob("layer", 42);
        write(session -> {
            session.linkBlob(name("a"), blob);
            session.linkBlob(name("b"), blob);
        });

        assertThat(metadata.unlinkBlob(name("a"), blob)).isTrue();

        assertThat(metadata.linkedBlobSize(name("a"), blob)).isEmpty();
        assertThat(metadata.linkedBlobSize(name("b"), blob)).hasValue(42);
        assertThat(metadata.blobSize(blob)).hasValue(42);
    }

    @Test
    void unlinkingWhatIsNotLinkedReportsFalse() {
        Digest blob = recordedBlob("layer", 42);

        assertThat(metadata.unlinkBlob(name("a"), blob)).as("unknown repository").isFalse();
        metadata.linkBlob(name("a"), blob);
        assertThat(metadata.unlinkBlob(name("a"), digest("other"))).as("unknown blob").isFalse();
        assertThat(metadata.unlinkBlob(name("a"), blob)).isTrue();
        assertThat(metadata.unlinkBlob(name("a"), blob)).as("already unlinked").isFalse();
    }

    // --- tags -----------------------------------------------------------------------------------

    /** Distribution spec, "Listing Tags": tags in lexical order; Berth's order is by byte, so upper case sorts first. */
    @Test
    void tagsAreListedInByteOrder() {
        ManifestRecord manifest = manifest("one");
        List<String> tags = List.of("b", "B", "a", "A", "_x", "1", "a.b", "a-b", "a_b", "Z");
        write(session -> {
            session.putManifest(name("app"), manifest);
            tags.forEach(tag -> session.setTag(name("app"), tag(tag), manifest.digest()));
        });

        assertThat(tags(name("app"))).containsExactly("1", "A", "B", "Z", "_x", "a", "a-b", "a.b", "a_b", "b");
    }

    @Test
    void tagsPageWithAfterAndLimit() {
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.putManifest(name("app"), manifest);
            List.of("v5", "v4", "v3", "v2", "v1").forEach(tag -> session.setTag(name("app"), tag(tag), manifest.digest()));
        });

        assertThat(tagPage(Optional.empty(), 2)).containsExactly("v1", "v2");
        assertThat(tagPage(Optional.of("v2"), 2)).containsExactly("v3", "v4");
        assertThat(tagPage(Optional.of("v4"), 2)).containsExactly("v5");
        assertThat(tagPage(Optional.of("v5"), 2)).isEmpty();
        assertThat(tagPage(Optional.of("v25"), 10)).as("after a tag that is not there").containsExactly("v3", "v4", "v5");
        assertThat(tagPage(Optional.of("V9"), 10)).as("upper case sorts before lower case").hasSize(5);
    }

    @Test
    void tagsAreListedOnlyForTheirRepository() {
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.putManifest(name("a"), manifest);
            session.putManifest(name("b"), manifest);
            session.setTag(name("a"), tag("only-a"), manifest.digest());
            session.setTag(name("b"), tag("only-b"), manifest.digest());
        });

        assertThat(tags(name("a"))).containsExactly("only-a");
        assertThat(tags(name("b"))).containsExactly("only-b");
        assertThat(tags(name("unknown"))).isEmpty();
    }

    // --- uploads --------------------------------------------------------------------------------

    @Test
    void uploadIsCreatedAndFound() {
        UploadRecord upload = upload(name("app"));

        metadata.uploads().createUpload(upload);

        assertThat(metadata.uploads().upload(upload.id())).contains(upload);
        assertThat(metadata.uploads().upload(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void anUnsyncedTransactionCommitsAndRollsBackLikeAnyOther() {
        UploadRecord kept = upload(name("app"));
        UploadRecord undone = upload(name("app"));

        store.inUnsyncedTransaction(session -> {
            session.uploads().createUpload(kept);
            return null;
        });
        assertThatThrownBy(() -> store.inUnsyncedTransaction(session -> {
            session.uploads().createUpload(undone);
            throw new IllegalStateException("the work failed");
        })).hasMessage("the work failed");
        write(session -> session.uploads().updateUploadSize(kept.id(), 7, clock.instant()));

        assertThat(metadata.uploads().upload(kept.id())).map(UploadRecord::size).contains(7L);
        assertThat(metadata.uploads().upload(undone.id())).isEmpty();
    }

    @Test
    void uploadSizeAndTimeAreUpdated() {
        UploadRecord upload = upload(name("app"));
        metadata.uploads().createUpload(upload);
        clock.advance(Duration.ofSeconds(90));

        metadata.uploads().updateUploadSize(upload.id(), 4096, clock.instant());

        assertThat(metadata.uploads().upload(upload.id())).contains(
                new UploadRecord(upload.id(), upload.repository(), 4096, upload.startedAt(), clock.instant()));
    }

    @Test
    void uploadIsDeleted() {
        UploadRecord upload = upload(name("app"));
        metadata.uploads().createUpload(upload);

        assertThat(metadata.uploads().deleteUpload(upload.id())).isTrue();

        assertThat(metadata.uploads().upload(upload.id())).isEmpty();
        assertThat(metadata.uploads().deleteUpload(upload.id())).as("already deleted").isFalse();
    }

    @Test
    void idleUploadsAreListedLongestIdleFirstUpToTheLimit() {
        UploadRecord oldest = upload(name("app"));
        metadata.uploads().createUpload(oldest);
        clock.advance(Duration.ofMinutes(1));
        UploadRecord older = upload(name("app"));
        metadata.uploads().createUpload(older);
        clock.advance(Duration.ofMinutes(1));
        UploadRecord recent = upload(name("other"));
        metadata.uploads().createUpload(recent);
        Instant cutoff = clock.instant();

        assertThat(metadata.uploads().uploadsIdleSince(cutoff, 10)).containsExactly(oldest, older);
        assertThat(metadata.uploads().uploadsIdleSince(cutoff, 1)).containsExactly(oldest);
        assertThat(metadata.uploads().uploadsIdleSince(cutoff.plusMillis(1), 10)).containsExactly(oldest, older, recent);
    }

    @Test
    void idleUploadIsDeletedOnlyWhileStillIdle() {
        UploadRecord idle = upload(name("app"));
        metadata.uploads().createUpload(idle);
        UploadRecord touched = upload(name("app"));
        metadata.uploads().createUpload(touched);
        clock.advance(Duration.ofHours(1));
        Instant cutoff = clock.instant();
        metadata.uploads().updateUploadSize(touched.id(), 10, cutoff);

        assertThat(metadata.uploads().deleteUploadIdleSince(idle.id(), cutoff)).isTrue();
        assertThat(metadata.uploads().deleteUploadIdleSince(touched.id(), cutoff)).as("a chunk arrived").isFalse();

        assertThat(metadata.uploads().upload(idle.id())).isEmpty();
        assertThat(metadata.uploads().upload(touched.id())).isPresent();
    }

    // --- helpers --------------------------------------------------------------------------------









    @Override
    public final void write(Consumer<MetadataSession> work) {
        store.inTransaction(session -> {
            work.accept(session);
            return null;
        });
    }

    @Override
    public final Digest recordedBlob(String content, long size) {
        Digest blob = digest(content);
        metadata.recordBlob(blob, size);
        return blob;
    }

    protected final UploadRecord upload(RepositoryName repository) {
        return new UploadRecord(UUID.randomUUID().toString(), repository, 0, clock.instant(), clock.instant());
    }

    private List<String> catalogPage(Optional<String> after, int limit) {
        return metadata.listRepositories(after, limit).stream().map(RepositoryName::value).toList();
    }

    private List<String> tagPage(Optional<String> after, int limit) {
        return metadata.listTags(name("app"), after, limit);
    }

    @Override
    public final List<String> tags(RepositoryName repository) {
        return metadata.listTags(repository, Optional.empty(), 1000);
    }

    protected static RepositoryName name(String value) {
        return RepositoryName.parse(value);
    }

    protected static Tag tag(String value) {
        return Tag.parse(value);
    }

    protected static Digest digest(String content) {
        return Digest.of(DigestAlgorithm.SHA256, content.getBytes(StandardCharsets.UTF_8));
    }

    /** An OCI image manifest record whose bytes are {@code content}, with no subject. */
    protected static ManifestRecord manifest(String content) {
        return manifest(content, MediaTypes.OCI_MANIFEST);
    }

    protected static ManifestRecord manifest(String content, String mediaType) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(Digest.of(DigestAlgorithm.SHA256, bytes), mediaType, bytes, Optional.empty(),
                Optional.empty(), Map.of(), List.of(), List.of());
    }

    /** An OCI image manifest record that refers to {@code subject}. */
    protected static ManifestRecord referrer(String content, Digest subject, Optional<String> artifactType,
                                             Map<String, String> annotations) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(Digest.of(DigestAlgorithm.SHA256, bytes), MediaTypes.OCI_MANIFEST, bytes,
                Optional.of(subject), artifactType, annotations, List.of(), List.of());
    }


}
