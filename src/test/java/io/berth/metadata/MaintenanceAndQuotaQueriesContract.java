package io.berth.metadata;

import static io.berth.metadata.MetadataStoreContract.manifest;
import static io.berth.metadata.MetadataStoreContract.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stored maintenance switch and what quotas are measured by: the switch is absent until stored
 * and then holds the last value; repositories are found by exact name prefix; bytes count each
 * distinct blob and manifest once across the repositories given. {@link MetadataStoreContract} runs
 * it on every backend.
 */
interface MaintenanceAndQuotaQueriesContract extends MetadataContractFixture {

    @Test
    default void theMaintenanceSwitchIsAbsentUntilStoredAndThenHoldsTheLastValue() {
        assertThat(metadata().maintenance().maintenanceSwitch()).isEmpty();

        MaintenanceSwitch on = new MaintenanceSwitch(true, "admin", Instant.parse("2024-05-01T10:00:00Z"));
        metadata().maintenance().storeMaintenanceSwitch(on);
        assertThat(metadata().maintenance().maintenanceSwitch()).contains(on);

        MaintenanceSwitch off = new MaintenanceSwitch(false, "berth maintenance", Instant.parse("2024-05-01T10:05:00Z"));
        metadata().maintenance().storeMaintenanceSwitch(off);
        assertThat(metadata().maintenance().maintenanceSwitch()).contains(off);
    }

    @Test
    default void repositoriesAreFoundByExactNamePrefix() {
        Digest blob = recordedBlob("layer", 5);
        write(session -> {
            for (String repository : List.of("team-a/app", "team-a/tool", "team_a/other", "team-ab/x", "other")) {
                session.linkBlob(name(repository), blob);
            }
            session.putManifest(name("team-a/manifest-only"), manifest("m"));
        });
        metadata().uploads().createUpload(new UploadRecord("8c1f0d7a-2b3c-4d5e-8f90-a1b2c3d4e5f6", name("team-a/pending"), 0,
                clock().instant(), clock().instant()));

        assertThat(metadata().quotas().repositoriesStartingWith("team-a/")).extracting(Object::toString)
                .as("'_' and '-' are no wildcards; an upload alone makes no repository")
                .containsExactly("team-a/app", "team-a/manifest-only", "team-a/tool");
        assertThat(metadata().quotas().repositoriesStartingWith("")).hasSize(6);
    }

    @Test
    default void storedBytesCountEachBlobAndManifestOnceAcrossTheRepositories() {
        Digest shared = recordedBlob("shared layer", 100);
        Digest own = recordedBlob("own layer", 20);
        Digest elsewhere = recordedBlob("elsewhere", 7000);
        ManifestRecord image = manifest("image");
        write(session -> {
            session.linkBlob(name("a/one"), shared);
            session.linkBlob(name("a/two"), shared);
            session.linkBlob(name("a/two"), own);
            session.linkBlob(name("b/three"), elsewhere);
            session.putManifest(name("a/one"), image);
            session.putManifest(name("a/two"), image);
        });

        long manifestBytes = image.content().length;
        assertThat(metadata().quotas().storedBytes(List.of(name("a/one"), name("a/two")))).isEqualTo(120 + manifestBytes);
        assertThat(metadata().quotas().storedBytes(List.of(name("a/two")))).isEqualTo(120 + manifestBytes);
        assertThat(metadata().quotas().storedBytes(List.of(name("b/three")))).isEqualTo(7000);
        assertThat(metadata().quotas().storedBytes(List.of(name("nowhere")))).isZero();
        assertThat(metadata().quotas().storedBytes(List.of())).isZero();
        assertThat(metadata().quotas().holdsBlob(List.of(name("b/three"), name("a/one")), shared)).isTrue();
        assertThat(metadata().quotas().holdsBlob(List.of(name("b/three")), shared)).isFalse();
        assertThat(metadata().quotas().holdsManifest(List.of(name("a/two")), image.digest())).isTrue();
        assertThat(metadata().quotas().holdsManifest(List.of(name("b/three")), image.digest())).isFalse();
        assertThat(metadata().quotas().holdsBlob(List.of(), shared)).isFalse();
    }

    @Test
    default void aQuotaLockIsHeldUntilTheTransactionEnds() {
        store().inTransaction(session -> {
            session.quotas().lockQuota("team-a/**");
            session.quotas().lockQuota("team-a/**");
            return null;
        });
        store().inTransaction(session -> {
            session.quotas().lockQuota("team-a/**");
            return null;
        });
    }
}
