package io.berth.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
public abstract class MetadataStoreContract {
    /** Times are kept to the millisecond, so the test clock stays on whole milliseconds. */
    protected final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    protected MetadataStore store;
    /** The store one call at a time: each query on its own, each change in its own transaction. */
    protected final MetadataSession metadata = new SingleCallSession(() -> store);

    /** Opens a new, empty store that reads the time from {@code clock}. */
    protected abstract MetadataStore openStore(Clock clock);

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
    void repositoryAppearsWhenABlobIsLinkedIntoIt() {
        Digest blob = recordedBlob("layer", 5);

        metadata.linkBlob(name("library/ubuntu"), blob);

        assertThat(metadata.repositoryExists(name("library/ubuntu"))).isTrue();
        assertThat(metadata.listRepositories(Optional.empty(), 100)).containsExactly(name("library/ubuntu"));
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
        write(session -> names.forEach(name -> session.linkBlob(name(name), blob)));

        assertThat(metadata.listRepositories(Optional.empty(), 100))
                .extracting(RepositoryName::value)
                .containsExactly("a", "a-b", "a.b", "a/b", "a0", "a_b", "b", "library", "library/ubuntu");
    }

    @Test
    void catalogPagesWithAfterAndLimit() {
        Digest blob = recordedBlob("layer", 5);
        write(session -> List.of("e", "d", "c", "b", "a").forEach(name -> session.linkBlob(name(name), blob)));

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

    // --- manifests ------------------------------------------------------------------------------

    @Test
    void manifestIsStoredWithItsExactBytesAndMediaType() {
        ManifestRecord manifest = manifest("  {\"schemaVersion\": 2}  \n", MediaTypes.DOCKER_MANIFEST);

        metadata.putManifest(name("app"), manifest);

        StoredManifest stored = metadata.manifest(name("app"), manifest.digest()).orElseThrow();
        assertThat(stored.digest()).isEqualTo(manifest.digest());
        assertThat(stored.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(stored.content()).isEqualTo(manifest.content());
        assertThat(metadata.manifestExists(name("app"), manifest.digest())).isTrue();
    }

    @Test
    void manifestIsVisibleOnlyInItsRepository() {
        ManifestRecord manifest = manifest("one");

        metadata.putManifest(name("a"), manifest);

        assertThat(metadata.manifest(name("b"), manifest.digest())).isEmpty();
        assertThat(metadata.manifestExists(name("b"), manifest.digest())).isFalse();
        assertThat(metadata.manifest(name("a"), digest("unknown"))).isEmpty();
    }

    @Test
    void puttingTheSameManifestAgainIsANoOp() {
        Digest subject = digest("subject");
        ManifestRecord manifest = referrer("signature", subject, Optional.of("application/vnd.example.sig"), Map.of());

        metadata.putManifest(name("app"), manifest);
        metadata.putManifest(name("app"), manifest);

        assertThat(metadata.manifest(name("app"), manifest.digest())).isPresent();
        assertThat(metadata.referrers(name("app"), subject, Optional.empty()))
                .extracting(ReferrerRecord::digest).containsExactly(manifest.digest());
    }

    @Test
    void manifestIsFoundByTag() {
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.putManifest(name("app"), manifest);
            session.setTag(name("app"), tag("v1"), manifest.digest());
        });

        StoredManifest stored = metadata.manifestByTag(name("app"), tag("v1")).orElseThrow();

        assertThat(stored.digest()).isEqualTo(manifest.digest());
        assertThat(stored.content()).isEqualTo(manifest.content());
        assertThat(metadata.manifestByTag(name("app"), tag("v2"))).isEmpty();
        assertThat(metadata.manifestByTag(name("other"), tag("v1"))).isEmpty();
    }

    @Test
    void settingATagReturnsTheDigestItPointedAtBefore() {
        ManifestRecord first = manifest("first");
        ManifestRecord second = manifest("second");
        write(session -> {
            session.putManifest(name("app"), first);
            session.putManifest(name("app"), second);
        });

        assertThat(metadata.setTag(name("app"), tag("latest"), first.digest())).isEmpty();
        assertThat(metadata.setTag(name("app"), tag("latest"), second.digest())).contains(first.digest());
        assertThat(metadata.setTag(name("app"), tag("latest"), second.digest())).contains(second.digest());
    }

    @Test
    void movedTagPointsAtTheNewManifestAndLeavesTheOldOne() {
        ManifestRecord first = manifest("first");
        ManifestRecord second = manifest("second");
        write(session -> {
            session.putManifest(name("app"), first);
            session.putManifest(name("app"), second);
            session.setTag(name("app"), tag("latest"), first.digest());
            session.setTag(name("app"), tag("latest"), second.digest());
        });

        assertThat(metadata.manifestByTag(name("app"), tag("latest")))
                .map(StoredManifest::digest).contains(second.digest());
        assertThat(metadata.manifestExists(name("app"), first.digest())).isTrue();
        assertThat(tags(name("app"))).containsExactly("latest");
    }

    @Test
    void deletingAManifestRemovesItAndEveryTagOnIt() {
        ManifestRecord doomed = manifest("doomed");
        ManifestRecord kept = manifest("kept");
        write(session -> {
            session.putManifest(name("app"), doomed);
            session.putManifest(name("app"), kept);
            session.setTag(name("app"), tag("v1"), doomed.digest());
            session.setTag(name("app"), tag("stable"), doomed.digest());
            session.setTag(name("app"), tag("v2"), kept.digest());
        });

        assertThat(metadata.deleteManifest(name("app"), doomed.digest())).isTrue();

        assertThat(metadata.manifest(name("app"), doomed.digest())).isEmpty();
        assertThat(metadata.manifestByTag(name("app"), tag("v1"))).isEmpty();
        assertThat(tags(name("app"))).containsExactly("v2");
        assertThat(metadata.deleteManifest(name("app"), doomed.digest())).as("already deleted").isFalse();
    }

    @Test
    void deletingAManifestLeavesTheSameManifestInOtherRepositories() {
        ManifestRecord manifest = manifest("shared");
        write(session -> {
            session.putManifest(name("a"), manifest);
            session.putManifest(name("b"), manifest);
            session.setTag(name("b"), tag("latest"), manifest.digest());
        });

        metadata.deleteManifest(name("a"), manifest.digest());

        assertThat(metadata.manifestExists(name("b"), manifest.digest())).isTrue();
        assertThat(metadata.manifestByTag(name("b"), tag("latest"))).isPresent();
    }

    @Test
    void deletingATagLeavesTheManifest() {
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.putManifest(name("app"), manifest);
            session.setTag(name("app"), tag("v1"), manifest.digest());
        });

        assertThat(metadata.deleteTag(name("app"), tag("v1"))).isTrue();

        assertThat(metadata.manifestByTag(name("app"), tag("v1"))).isEmpty();
        assertThat(metadata.manifestExists(name("app"), manifest.digest())).isTrue();
        assertThat(metadata.deleteTag(name("app"), tag("v1"))).as("already deleted").isFalse();
        assertThat(metadata.deleteTag(name("other"), tag("v1"))).as("unknown repository").isFalse();
    }

    // --- referrers ------------------------------------------------------------------------------

    @Test
    void referrersAreTheRepositorysManifestsWithThatSubject() {
        Digest subject = digest("subject");
        ManifestRecord sbom = referrer("sbom", subject, Optional.of("application/vnd.example.sbom"), Map.of());
        ManifestRecord signature = referrer("signature", subject, Optional.of("application/vnd.example.sig"), Map.of());
        ManifestRecord otherSubject = referrer("other subject", digest("other"), Optional.of("application/vnd.example.sbom"), Map.of());
        ManifestRecord otherRepository = referrer("elsewhere", subject, Optional.of("application/vnd.example.sbom"), Map.of());
        write(session -> {
            session.putManifest(name("app"), sbom);
            session.putManifest(name("app"), signature);
            session.putManifest(name("app"), otherSubject);
            session.putManifest(name("app"), manifest("no subject"));
            session.putManifest(name("elsewhere"), otherRepository);
        });

        assertThat(metadata.referrers(name("app"), subject, Optional.empty()))
                .extracting(ReferrerRecord::digest)
                .containsExactlyInAnyOrder(sbom.digest(), signature.digest());
    }

    @Test
    void referrersCanBeFilteredByArtifactType() {
        Digest subject = digest("subject");
        ManifestRecord sbom = referrer("sbom", subject, Optional.of("application/vnd.example.sbom"), Map.of());
        ManifestRecord secondSbom = referrer("sbom 2", subject, Optional.of("application/vnd.example.sbom"), Map.of());
        ManifestRecord signature = referrer("signature", subject, Optional.of("application/vnd.example.sig"), Map.of());
        ManifestRecord untyped = referrer("untyped", subject, Optional.empty(), Map.of());
        write(session -> List.of(sbom, secondSbom, signature, untyped).forEach(m -> session.putManifest(name("app"), m)));

        assertThat(metadata.referrers(name("app"), subject, Optional.of("application/vnd.example.sbom")))
                .extracting(ReferrerRecord::digest).containsExactlyInAnyOrder(sbom.digest(), secondSbom.digest());
        assertThat(metadata.referrers(name("app"), subject, Optional.of("application/vnd.example.unknown")))
                .isEmpty();
        assertThat(metadata.referrers(name("app"), subject, Optional.empty())).hasSize(4);
    }

    @Test
    void referrerRecordsCarryWhatTheReferrersListShows() {
        Digest subject = digest("subject");
        ManifestRecord typed = referrer("typed", subject, Optional.of("application/vnd.example.sbom"), Map.of("k", "v"));
        ManifestRecord untyped = referrer("untyped", subject, Optional.empty(), Map.of());
        write(session -> {
            session.putManifest(name("app"), typed);
            session.putManifest(name("app"), untyped);
        });

        List<ReferrerRecord> referrers = metadata.referrers(name("app"), subject, Optional.empty());

        assertThat(referrers).containsExactlyInAnyOrder(
                new ReferrerRecord(typed.digest(), MediaTypes.OCI_MANIFEST, typed.content().length,
                        Optional.of("application/vnd.example.sbom"), Map.of("k", "v")),
                new ReferrerRecord(untyped.digest(), MediaTypes.OCI_MANIFEST, untyped.content().length,
                        Optional.empty(), Map.of()));
    }

    @Test
    void annotationsRoundTrip() {
        Digest subject = digest("subject");
        Map<String, String> annotations = Map.of(
                "org.opencontainers.image.created", "2024-05-01T10:00:00Z",
                "org.opencontainers.image.description", "quotes \" backslash \\ newline \n tab \t",
                "com.example.unicode", "\u00e9\u4e2d\ud83d\udea2",
                "com.example.empty", "");
        ManifestRecord manifest = referrer("annotated", subject, Optional.of("application/vnd.example.sbom"), annotations);
        metadata.putManifest(name("app"), manifest);

        assertThat(metadata.referrers(name("app"), subject, Optional.empty()))
                .singleElement()
                .satisfies(referrer -> assertThat(referrer.annotations()).isEqualTo(annotations));
    }

    @Test
    void deletedReferrerIsNoLongerListed() {
        Digest subject = digest("subject");
        ManifestRecord signature = referrer("signature", subject, Optional.of("application/vnd.example.sig"), Map.of());
        metadata.putManifest(name("app"), signature);

        metadata.deleteManifest(name("app"), signature.digest());

        assertThat(metadata.referrers(name("app"), subject, Optional.empty())).isEmpty();
    }

    @Test
    void referrersOfAnUnknownSubjectAreEmpty() {
        assertThat(metadata.referrers(name("app"), digest("nothing"), Optional.empty())).isEmpty();
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

    // --- transactions ---------------------------------------------------------------------------

    @Test
    void transactionCommitsAndReturnsTheWorksResult() {
        Digest blob = digest("layer");

        String result = store.inTransaction(session -> {
            session.recordBlob(blob, 5);
            session.linkBlob(name("app"), blob);
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(metadata.linkedBlobSize(name("app"), blob)).hasValue(5);
    }

    @Test
    void transactionThatThrowsRollsBackEverything() {
        IllegalStateException failure = new IllegalStateException("the work failed");

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> store.inTransaction(session -> {
                    writeOneOfEverything(session);
                    throw failure;
                }))
                .isSameAs(failure);

        assertNothingOfEverythingWasWritten();
    }

    @Test
    void transactionThatThrowsAnErrorRollsBackEverything() {
        AssertionError failure = new AssertionError("the work failed");

        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> store.inTransaction(session -> {
                    writeOneOfEverything(session);
                    throw failure;
                }))
                .isSameAs(failure);

        assertNothingOfEverythingWasWritten();
    }

    @Test
    void storeStaysUsableAfterARolledBackTransaction() {
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> store.inTransaction(session -> {
            session.recordBlob(digest("layer"), 5);
            throw new IllegalStateException("the work failed");
        }));

        Digest blob = recordedBlob("layer", 5);
        metadata.linkBlob(name("app"), blob);

        assertThat(metadata.linkedBlobSize(name("app"), blob)).hasValue(5);
    }

    @Test
    void readersDoNotSeeAnUncommittedTransaction() throws Exception {
        Digest blob = recordedBlob("layer", 5);
        CountDownLatch linked = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> transaction = writer.submit(() -> store.inTransaction(session -> {
                session.linkBlob(name("app"), blob);
                linked.countDown();
                await(checked);
                return null;
            }));
            await(linked);

            OptionalLong duringTransaction = metadata.linkedBlobSize(name("app"), blob);
            checked.countDown();
            transaction.get(30, TimeUnit.SECONDS);

            assertThat(duringTransaction).isEmpty();
            assertThat(metadata.linkedBlobSize(name("app"), blob)).hasValue(5);
        } finally {
            checked.countDown();
            writer.shutdownNow();
        }
    }

    @Test
    void concurrentWritersAllSucceed() throws Exception {
        int writers = 8;
        int transactionsPerWriter = 20;
        RepositoryName shared = name("shared");
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                int id = writer;
                results.add(pool.submit(() -> {
                    await(start);
                    for (int i = 0; i < transactionsPerWriter; i++) {
                        String label = "writer " + id + " step " + i;
                        Tag ownTag = tag("w" + id + "-" + i);
                        Digest blob = digest(label);
                        ManifestRecord manifest = manifest(label);
                        store.inTransaction(session -> {
                            session.recordBlob(blob, label.length());
                            session.linkBlob(shared, blob);
                            session.linkBlob(name("writer" + id), blob);
                            session.putManifest(shared, manifest);
                            session.setTag(shared, ownTag, manifest.digest());
                            session.setTag(shared, tag("latest"), manifest.digest());
                            return null;
                        });
                        assertThat(metadata.linkedBlobSize(shared, blob)).hasValue(label.length());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(metadata.listTags(shared, Optional.empty(), 1000)).hasSize(writers * transactionsPerWriter + 1);
        assertThat(metadata.listRepositories(Optional.empty(), 1000)).hasSize(writers + 1);
        for (int writer = 0; writer < writers; writer++) {
            for (int i = 0; i < transactionsPerWriter; i++) {
                Digest blob = digest("writer " + writer + " step " + i);
                RepositoryName own = name("writer" + writer);
                assertThat(metadata.linkedBlobSize(own, blob)).isPresent();
            }
        }
    }

    // --- mirrors --------------------------------------------------------------------------------

    @Test
    void aMirrorGenerationTakesEveryUnexportedBlobOnceAndIsPublishedLater() {
        Digest first = recordedBlob("first", 5);
        Digest second = recordedBlob("second", 6);

        assertThat(metadata.mirrors().startMirrorGeneration(clock.instant())).hasValue(1);
        assertThat(metadata.mirrors().startMirrorGeneration(clock.instant())).as("nothing new").isEmpty();
        Digest third = recordedBlob("third", 7);
        assertThat(metadata.mirrors().startMirrorGeneration(clock.instant())).hasValue(2);

        List<GenerationBlob> generationOne = new java.util.ArrayList<>();
        metadata.mirrors().forEachBlobOfGeneration(1, generationOne::add);
        assertThat(generationOne).extracting(GenerationBlob::digest).containsExactlyInAnyOrder(first, second);
        assertThat(metadata.mirrors().sampleGenerationBlobs(2, 2, 5)).extracting(GenerationBlob::digest).containsExactly(third);
        assertThat(metadata.mirrors().mirrorGenerations()).containsExactly(1L, 2L);
        assertThat(metadata.mirrors().latestPublishedMirrorGeneration()).isEmpty();
        metadata.mirrors().publishMirrorGeneration(1, clock.instant());
        assertThat(metadata.mirrors().latestPublishedMirrorGeneration()).hasValue(1);
        metadata.linkBlob(name("app"), third);
        assertThat(metadata.linkedBlob(name("app"), third).orElseThrow().mirrorGeneration()).hasValue(2);
    }

    @Test
    void mirrorsKeepTheirDeclarationAndCrawlState() {
        MirrorRecord mirror = new MirrorRecord("near", "https://near.example/", Optional.of("DE"), Optional.of("EU"),
                List.of("192.0.2.0/24", "2001:db8::/32"), List.of(64500L), 1000, true, List.of("DE", "AT"), true, false);
        assertThat(metadata.mirrors().addMirror(mirror)).isTrue();
        assertThat(metadata.mirrors().addMirror(mirror)).isFalse();

        metadata.mirrors().recordCrawlSuccess("near", 3, clock.instant());
        StoredMirror stored = metadata.mirrors().listMirrors().getFirst();
        assertThat(stored.mirror()).isEqualTo(mirror);
        assertThat(stored.crawl().syncedGeneration()).hasValue(3);
        assertThat(stored.crawl().stale()).isFalse();

        for (int i = 0; i < 4; i++) {
            metadata.mirrors().recordCrawlFailure("near", "down", clock.instant(), 4);
        }
        stored = metadata.mirrors().listMirrors().getFirst();
        assertThat(stored.crawl().stale()).isTrue();
        assertThat(stored.crawl().consecutiveFailures()).isEqualTo(4);
        assertThat(stored.mirror().enabled()).isFalse();
        assertThat(metadata.mirrors().setMirrorEnabled("near", true)).isTrue();
        assertThat(metadata.mirrors().listMirrors().getFirst().crawl().consecutiveFailures()).isZero();
        assertThat(metadata.mirrors().removeMirror("near")).isTrue();
        assertThat(metadata.mirrors().listMirrors()).isEmpty();
    }

    @Test
    void theCrawlLeaseHasOneHolderUntilItExpires() {
        Instant now = clock.instant();
        assertThat(metadata.mirrors().takeCrawlLease("node-a", now, now.plusSeconds(540))).isTrue();
        assertThat(metadata.mirrors().takeCrawlLease("node-b", now.plusSeconds(60), now.plusSeconds(600))).isFalse();
        assertThat(metadata.mirrors().takeCrawlLease("node-a", now.plusSeconds(600), now.plusSeconds(1140))).as("renewed").isTrue();
        assertThat(metadata.mirrors().takeCrawlLease("node-b", now.plusSeconds(1140), now.plusSeconds(1680))).as("expired").isTrue();
        assertThat(metadata.mirrors().takeCrawlLease("node-a", now.plusSeconds(1200), now.plusSeconds(1740))).isFalse();
    }

    // --- promotions -----------------------------------------------------------------------------

    @Test
    void promotionsAreListedNewestFirstAndFiltered() {
        Digest one = digest("one");
        PromotionRecord first = promotion("candidate/app", one, "app", PromotionRecord.Outcome.PROMOTED);
        PromotionRecord refused = promotion("candidate/app", digest("two"), "app", PromotionRecord.Outcome.REFUSED);
        PromotionRecord elsewhere = promotion("candidate/tool", digest("three"), "tool", PromotionRecord.Outcome.UNCHANGED);
        long firstId = metadata.promotions().recordPromotion(first);
        long refusedId = metadata.promotions().recordPromotion(refused);
        metadata.promotions().recordPromotion(elsewhere);

        assertThat(metadata.promotions().listPromotions(PromotionFilter.newest(10))).extracting(StoredPromotion::promotion)
                .containsExactly(elsewhere, refused, first);
        assertThat(metadata.promotions().listPromotions(new PromotionFilter(Optional.of("app"), Optional.empty(), Optional.empty(),
                java.util.OptionalLong.empty(), 10))).extracting(StoredPromotion::id).containsExactly(refusedId, firstId);
        assertThat(metadata.promotions().listPromotions(new PromotionFilter(Optional.empty(), Optional.of("candidate/app"), Optional.of(one),
                java.util.OptionalLong.empty(), 10))).extracting(StoredPromotion::promotion).containsExactly(first);
        assertThat(metadata.promotions().listPromotions(new PromotionFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                java.util.OptionalLong.of(refusedId), 10))).extracting(StoredPromotion::id).containsExactly(firstId);
    }

    private PromotionRecord promotion(String source, Digest digest, String target, PromotionRecord.Outcome outcome) {
        Map<String, Optional<Digest>> previous = new java.util.LinkedHashMap<>();
        previous.put("1.0", Optional.empty());
        previous.put("latest", Optional.of(digest("older")));
        return new PromotionRecord(clock.instant(), "releng", source, "1.0", Optional.of(digest), target,
                List.of("1.0", "latest"), previous,
                List.of(new PromotionRecord.GateOutcome("immutable tags", outcome != PromotionRecord.Outcome.REFUSED, "a reason")),
                outcome);
    }

    // --- helpers --------------------------------------------------------------------------------

    private static final Digest EVERYTHING_BLOB = digest("everything blob");
    private static final ManifestRecord EVERYTHING_MANIFEST =
            referrer("everything manifest", digest("everything subject"), Optional.of("application/vnd.example.x"), Map.of());
    private static final String EVERYTHING_UPLOAD = "8c1f0d7a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

    private void writeOneOfEverything(MetadataSession session) {
        session.recordBlob(EVERYTHING_BLOB, 5);
        session.linkBlob(name("everything"), EVERYTHING_BLOB);
        session.putManifest(name("everything"), EVERYTHING_MANIFEST);
        session.setTag(name("everything"), tag("latest"), EVERYTHING_MANIFEST.digest());
        session.uploads().createUpload(new UploadRecord(EVERYTHING_UPLOAD, name("everything"), 0, clock.instant(), clock.instant()));
    }

    private void assertNothingOfEverythingWasWritten() {
        assertThat(metadata.blobSize(EVERYTHING_BLOB)).isEmpty();
        assertThat(metadata.linkedBlobSize(name("everything"), EVERYTHING_BLOB)).isEmpty();
        assertThat(metadata.manifestExists(name("everything"), EVERYTHING_MANIFEST.digest())).isFalse();
        assertThat(metadata.referrers(name("everything"), digest("everything subject"), Optional.empty())).isEmpty();
        assertThat(tags(name("everything"))).isEmpty();
        assertThat(metadata.uploads().upload(EVERYTHING_UPLOAD)).isEmpty();
        assertThat(metadata.repositoryExists(name("everything"))).isFalse();
        assertThat(metadata.listRepositories(Optional.empty(), 100)).isEmpty();
    }

    protected final void write(Consumer<MetadataSession> work) {
        store.inTransaction(session -> {
            work.accept(session);
            return null;
        });
    }

    protected final Digest recordedBlob(String content, long size) {
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

    private List<String> tags(RepositoryName repository) {
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

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for another thread");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
