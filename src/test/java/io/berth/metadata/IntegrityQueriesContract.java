package io.berth.metadata;

import static io.berth.metadata.MetadataStoreContract.digest;
import static io.berth.metadata.MetadataStoreContract.manifest;
import static io.berth.metadata.MetadataStoreContract.name;
import static io.berth.metadata.MetadataStoreContract.referrer;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The integrity part of the metadata contract, what {@code berth fsck} relies on: recorded blobs
 * listed in the byte order of their digests (the order a blob store lists them in), what refers to a
 * blob, references that point at nothing in their repository, and forgetting a blob so that the
 * registry stops claiming it. {@link MetadataStoreContract} runs it on every backend.
 */
interface IntegrityQueriesContract extends MetadataContractFixture {

    private IntegrityQueries integrity() {
        return metadata().integrity();
    }

    @Test
    default void recordedBlobsAreListedInDigestByteOrderAPageAtATime() {
        List<Digest> recorded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            recorded.add(recordedBlob("blob " + i, i));
        }
        Digest sha512 = Digest.of(DigestAlgorithm.SHA512, "long".getBytes(StandardCharsets.UTF_8));
        metadata().recordBlob(sha512, 4);
        recorded.add(sha512);
        recorded.sort(Comparator.comparing(Digest::toString));

        List<Digest> walked = new ArrayList<>();
        Optional<Digest> after = Optional.empty();
        for (List<RecordedBlob> page; !(page = integrity().recordedBlobs(after, 3)).isEmpty(); ) {
            page.forEach(blob -> walked.add(blob.digest()));
            after = Optional.of(page.getLast().digest());
        }

        assertThat(walked).containsExactlyElementsOf(recorded);
        assertThat(integrity().recordedBlobs(Optional.of(recorded.get(5)), 10)).extracting(RecordedBlob::digest)
                .containsExactlyElementsOf(recorded.subList(6, 8));
        assertThat(integrity().recordedTotals(Optional.empty())).isEqualTo(new BlobTotals(8, 0 + 1 + 2 + 3 + 4 + 5 + 6 + 4));
        assertThat(integrity().recordedTotals(Optional.of(recorded.getLast()))).isEqualTo(new BlobTotals(0, 0));
    }

    @Test
    default void theUsesOfABlobAreItsLinksAndTheManifestsPointingAtIt() {
        Digest layer = recordedBlob("layer", 5);
        ManifestRecord image = imageOf("image", layer);
        ManifestRecord signature = referrer("signature", layer, Optional.empty(), Map.of());
        write(session -> {
            session.linkBlob(name("b/app"), layer);
            session.linkBlob(name("a/app"), layer);
            session.putManifest(name("a/app"), image);
            session.putManifest(name("a/app"), signature);
        });

        assertThat(integrity().repositoriesLinking(layer)).containsExactly(name("a/app"), name("b/app"));
        assertThat(integrity().referencesTo(layer)).containsExactlyInAnyOrder(
                new ManifestReference(name("a/app"), image.digest(), layer, ManifestReference.Kind.BLOB),
                new ManifestReference(name("a/app"), signature.digest(), layer, ManifestReference.Kind.SUBJECT));
        assertThat(integrity().repositoriesLinking(digest("nothing"))).isEmpty();
    }

    @Test
    default void referencesToWhatTheRepositoryDoesNotHoldAreDangling() {
        Digest linked = recordedBlob("linked", 1);
        Digest unlinked = recordedBlob("recorded, linked elsewhere", 2);
        Digest unrecorded = digest("never recorded");
        ManifestRecord child = manifest("child");
        ManifestRecord image = imageOf("image", linked, unlinked, unrecorded);
        byte[] indexBytes = "index".getBytes(StandardCharsets.UTF_8);
        Digest absentChild = digest("absent child");
        ManifestRecord index = new ManifestRecord(Digest.of(DigestAlgorithm.SHA256, indexBytes), MediaTypes.OCI_INDEX,
                indexBytes, Optional.empty(), Optional.empty(), Map.of(), List.of(), List.of(child.digest(), absentChild));
        ManifestRecord orphanReferrer = referrer("referrer", digest("absent subject"), Optional.empty(), Map.of());
        ManifestRecord childReferrer = referrer("child referrer", child.digest(), Optional.empty(), Map.of());
        write(session -> {
            session.linkBlob(name("app"), linked);
            session.linkBlob(name("other"), unlinked);
            session.putManifest(name("app"), child);
            session.putManifest(name("app"), image);
            session.putManifest(name("app"), index);
            session.putManifest(name("app"), orphanReferrer);
            session.putManifest(name("app"), childReferrer);
        });

        List<ManifestReference> dangling = new ArrayList<>();
        integrity().forEachDanglingReference(dangling::add);
        List<ManifestReference> subjects = new ArrayList<>();
        integrity().forEachMissingSubject(subjects::add);

        assertThat(dangling).containsExactlyInAnyOrder(
                new ManifestReference(name("app"), image.digest(), unlinked, ManifestReference.Kind.BLOB),
                new ManifestReference(name("app"), image.digest(), unrecorded, ManifestReference.Kind.BLOB),
                new ManifestReference(name("app"), index.digest(), absentChild, ManifestReference.Kind.CHILD_MANIFEST));
        assertThat(subjects).containsExactly(new ManifestReference(name("app"), orphanReferrer.digest(),
                digest("absent subject"), ManifestReference.Kind.SUBJECT));
    }

    @Test
    default void aBlobThatNothingLinksOrReferencesIsUnreferenced() {
        Digest linked = recordedBlob("linked", 1);
        Digest referenced = recordedBlob("referenced only", 2);
        Digest alone = recordedBlob("alone", 3);
        write(session -> {
            session.linkBlob(name("app"), linked);
            session.putManifest(name("other"), imageOf("image", referenced));
        });

        List<RecordedBlob> unreferenced = new ArrayList<>();
        integrity().forEachUnreferencedBlob(unreferenced::add);

        assertThat(unreferenced).containsExactly(new RecordedBlob(alone, 3));
    }

    @Test
    default void aForgottenBlobIsNeitherRecordedNorLinkedButManifestsKeepTheirReferences() {
        Digest layer = recordedBlob("layer", 5);
        ManifestRecord image = imageOf("image", layer);
        write(session -> {
            session.linkBlob(name("one"), layer);
            session.linkBlob(name("two"), layer);
            session.putManifest(name("one"), image);
        });

        List<io.berth.oci.RepositoryName> unlinked = store().inTransaction(session -> session.integrity().forgetBlob(layer));

        assertThat(unlinked).containsExactly(name("one"), name("two"));
        assertThat(metadata().blobSize(layer)).isEmpty();
        assertThat(metadata().linkedBlob(name("one"), layer)).isEmpty();
        assertThat(metadata().manifestExists(name("one"), image.digest())).isTrue();
        assertThat(integrity().referencesTo(layer)).hasSize(1);
        metadata().recordBlob(layer, 5);
        metadata().linkBlob(name("one"), layer);
        assertThat(metadata().linkedBlobSize(name("one"), layer)).as("pushed again").hasValue(5);
    }

    private static ManifestRecord imageOf(String content, Digest... blobs) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new ManifestRecord(Digest.of(DigestAlgorithm.SHA256, bytes), MediaTypes.OCI_MANIFEST, bytes,
                Optional.empty(), Optional.empty(), Map.of(), List.of(blobs), List.of());
    }
}
