package io.berth.metadata;

import static io.berth.metadata.MetadataStoreContract.digest;
import static io.berth.metadata.MetadataStoreContract.manifest;
import static io.berth.metadata.MetadataStoreContract.name;
import static io.berth.metadata.MetadataStoreContract.referrer;
import static io.berth.metadata.MetadataStoreContract.tag;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The manifest and referrer part of the metadata contract: exact bytes by digest and by tag, the
 * references that keep blobs and children in place, deletion by digest taking its tags, and the
 * referrers listing by subject and artifact type (Distribution spec, "Pulling manifests",
 * "Deleting Manifests", "Listing Referrers"). {@link MetadataStoreContract} runs it on every backend.
 */
interface ManifestQueriesContract extends MetadataContractFixture {

    // --- manifests ------------------------------------------------------------------------------

    @Test
    default void manifestIsStoredWithItsExactBytesAndMediaType() {
        ManifestRecord manifest = manifest("  {\"schemaVersion\": 2}  \n", MediaTypes.DOCKER_MANIFEST);

        metadata().putManifest(name("app"), manifest);

        StoredManifest stored = metadata().manifest(name("app"), manifest.digest()).orElseThrow();
        assertThat(stored.digest()).isEqualTo(manifest.digest());
        assertThat(stored.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(stored.content()).isEqualTo(manifest.content());
        assertThat(metadata().manifestExists(name("app"), manifest.digest())).isTrue();
    }

    @Test
    default void theFirstRecordedPusherOfAManifestStaysPerRepository() {
        ManifestRecord manifest = manifest("pushed");
        metadata().putManifest(name("candidate/app"), manifest);
        metadata().putManifest(name("app"), manifest);
        assertThat(metadata().pusher(name("candidate/app"), manifest.digest())).as("not recorded yet").isEmpty();

        metadata().recordPusher(name("candidate/app"), manifest.digest(), "robot$osbs");
        metadata().recordPusher(name("candidate/app"), manifest.digest(), "releng");

        assertThat(metadata().pusher(name("candidate/app"), manifest.digest())).hasValue("robot$osbs");
        assertThat(metadata().pusher(name("app"), manifest.digest())).isEmpty();
        assertThat(metadata().pusher(name("elsewhere"), manifest.digest())).isEmpty();
    }

    @Test
    default void manifestIsVisibleOnlyInItsRepository() {
        ManifestRecord manifest = manifest("one");

        metadata().putManifest(name("a"), manifest);

        assertThat(metadata().manifest(name("b"), manifest.digest())).isEmpty();
        assertThat(metadata().manifestExists(name("b"), manifest.digest())).isFalse();
        assertThat(metadata().manifest(name("a"), digest("unknown"))).isEmpty();
    }

    @Test
    default void puttingTheSameManifestAgainIsANoOp() {
        Digest subject = digest("subject");
        ManifestRecord manifest = referrer("signature", subject, Optional.of("application/vnd.example.sig"), Map.of());

        metadata().putManifest(name("app"), manifest);
        metadata().putManifest(name("app"), manifest);

        assertThat(metadata().manifest(name("app"), manifest.digest())).isPresent();
        assertThat(metadata().referrers(name("app"), subject, Optional.empty()))
                .extracting(ReferrerRecord::digest).containsExactly(manifest.digest());
    }

    @Test
    default void manifestIsFoundByTag() {
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.putManifest(name("app"), manifest);
            session.setTag(name("app"), tag("v1"), manifest.digest());
        });

        StoredManifest stored = metadata().manifestByTag(name("app"), tag("v1")).orElseThrow();

        assertThat(stored.digest()).isEqualTo(manifest.digest());
        assertThat(stored.content()).isEqualTo(manifest.content());
        assertThat(metadata().manifestByTag(name("app"), tag("v2"))).isEmpty();
        assertThat(metadata().manifestByTag(name("other"), tag("v1"))).isEmpty();
    }

    @Test
    default void settingATagReturnsTheDigestItPointedAtBefore() {
        ManifestRecord first = manifest("first");
        ManifestRecord second = manifest("second");
        write(session -> {
            session.putManifest(name("app"), first);
            session.putManifest(name("app"), second);
        });

        assertThat(metadata().setTag(name("app"), tag("latest"), first.digest())).isEmpty();
        assertThat(metadata().setTag(name("app"), tag("latest"), second.digest())).contains(first.digest());
        assertThat(metadata().setTag(name("app"), tag("latest"), second.digest())).contains(second.digest());
    }

    @Test
    default void movedTagPointsAtTheNewManifestAndLeavesTheOldOne() {
        ManifestRecord first = manifest("first");
        ManifestRecord second = manifest("second");
        write(session -> {
            session.putManifest(name("app"), first);
            session.putManifest(name("app"), second);
            session.setTag(name("app"), tag("latest"), first.digest());
            session.setTag(name("app"), tag("latest"), second.digest());
        });

        assertThat(metadata().manifestByTag(name("app"), tag("latest")))
                .map(StoredManifest::digest).contains(second.digest());
        assertThat(metadata().manifestExists(name("app"), first.digest())).isTrue();
        assertThat(tags(name("app"))).containsExactly("latest");
    }

    @Test
    default void deletingAManifestRemovesItAndEveryTagOnIt() {
        ManifestRecord doomed = manifest("doomed");
        ManifestRecord kept = manifest("kept");
        write(session -> {
            session.putManifest(name("app"), doomed);
            session.putManifest(name("app"), kept);
            session.setTag(name("app"), tag("v1"), doomed.digest());
            session.setTag(name("app"), tag("stable"), doomed.digest());
            session.setTag(name("app"), tag("v2"), kept.digest());
        });

        assertThat(metadata().deleteManifest(name("app"), doomed.digest())).isTrue();

        assertThat(metadata().manifest(name("app"), doomed.digest())).isEmpty();
        assertThat(metadata().manifestByTag(name("app"), tag("v1"))).isEmpty();
        assertThat(tags(name("app"))).containsExactly("v2");
        assertThat(metadata().deleteManifest(name("app"), doomed.digest())).as("already deleted").isFalse();
    }

    @Test
    default void deletingAManifestLeavesTheSameManifestInOtherRepositories() {
        ManifestRecord manifest = manifest("shared");
        write(session -> {
            session.putManifest(name("a"), manifest);
            session.putManifest(name("b"), manifest);
            session.setTag(name("b"), tag("latest"), manifest.digest());
        });

        metadata().deleteManifest(name("a"), manifest.digest());

        assertThat(metadata().manifestExists(name("b"), manifest.digest())).isTrue();
        assertThat(metadata().manifestByTag(name("b"), tag("latest"))).isPresent();
    }

    @Test
    default void deletingATagLeavesTheManifest() {
        ManifestRecord manifest = manifest("one");
        write(session -> {
            session.putManifest(name("app"), manifest);
            session.setTag(name("app"), tag("v1"), manifest.digest());
        });

        assertThat(metadata().deleteTag(name("app"), tag("v1"))).isTrue();

        assertThat(metadata().manifestByTag(name("app"), tag("v1"))).isEmpty();
        assertThat(metadata().manifestExists(name("app"), manifest.digest())).isTrue();
        assertThat(metadata().deleteTag(name("app"), tag("v1"))).as("already deleted").isFalse();
        assertThat(metadata().deleteTag(name("other"), tag("v1"))).as("unknown repository").isFalse();
    }

    // --- referrers ------------------------------------------------------------------------------

    @Test
    default void referrersAreTheRepositorysManifestsWithThatSubject() {
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

        assertThat(metadata().referrers(name("app"), subject, Optional.empty()))
                .extracting(ReferrerRecord::digest)
                .containsExactlyInAnyOrder(sbom.digest(), signature.digest());
    }

    @Test
    default void referrersCanBeFilteredByArtifactType() {
        Digest subject = digest("subject");
        ManifestRecord sbom = referrer("sbom", subject, Optional.of("application/vnd.example.sbom"), Map.of());
        ManifestRecord secondSbom = referrer("sbom 2", subject, Optional.of("application/vnd.example.sbom"), Map.of());
        ManifestRecord signature = referrer("signature", subject, Optional.of("application/vnd.example.sig"), Map.of());
        ManifestRecord untyped = referrer("untyped", subject, Optional.empty(), Map.of());
        write(session -> List.of(sbom, secondSbom, signature, untyped).forEach(m -> session.putManifest(name("app"), m)));

        assertThat(metadata().referrers(name("app"), subject, Optional.of("application/vnd.example.sbom")))
                .extracting(ReferrerRecord::digest).containsExactlyInAnyOrder(sbom.digest(), secondSbom.digest());
        assertThat(metadata().referrers(name("app"), subject, Optional.of("application/vnd.example.unknown")))
                .isEmpty();
        assertThat(metadata().referrers(name("app"), subject, Optional.empty())).hasSize(4);
    }

    @Test
    default void referrerRecordsCarryWhatTheReferrersListShows() {
        Digest subject = digest("subject");
        ManifestRecord typed = referrer("typed", subject, Optional.of("application/vnd.example.sbom"), Map.of("k", "v"));
        ManifestRecord untyped = referrer("untyped", subject, Optional.empty(), Map.of());
        write(session -> {
            session.putManifest(name("app"), typed);
            session.putManifest(name("app"), untyped);
        });

        List<ReferrerRecord> referrers = metadata().referrers(name("app"), subject, Optional.empty());

        assertThat(referrers).containsExactlyInAnyOrder(
                new ReferrerRecord(typed.digest(), MediaTypes.OCI_MANIFEST, typed.content().length,
                        Optional.of("application/vnd.example.sbom"), Map.of("k", "v")),
                new ReferrerRecord(untyped.digest(), MediaTypes.OCI_MANIFEST, untyped.content().length,
                        Optional.empty(), Map.of()));
    }

    @Test
    default void annotationsRoundTrip() {
        Digest subject = digest("subject");
        Map<String, String> annotations = Map.of(
                "org.opencontainers.image.created", "2024-05-01T10:00:00Z",
                "org.opencontainers.image.description", "quotes \" backslash \\ newline \n tab \t",
                "com.example.unicode", "\u00e9\u4e2d\ud83d\udea2",
                "com.example.empty", "");
        ManifestRecord manifest = referrer("annotated", subject, Optional.of("application/vnd.example.sbom"), annotations);
        metadata().putManifest(name("app"), manifest);

        assertThat(metadata().referrers(name("app"), subject, Optional.empty()))
                .singleElement()
                .satisfies(referrer -> assertThat(referrer.annotations()).isEqualTo(annotations));
    }

    @Test
    default void deletedReferrerIsNoLongerListed() {
        Digest subject = digest("subject");
        ManifestRecord signature = referrer("signature", subject, Optional.of("application/vnd.example.sig"), Map.of());
        metadata().putManifest(name("app"), signature);

        metadata().deleteManifest(name("app"), signature.digest());

        assertThat(metadata().referrers(name("app"), subject, Optional.empty())).isEmpty();
    }

    @Test
    default void referrersOfAnUnknownSubjectAreEmpty() {
        assertThat(metadata().referrers(name("app"), digest("nothing"), Optional.empty())).isEmpty();
    }
}
