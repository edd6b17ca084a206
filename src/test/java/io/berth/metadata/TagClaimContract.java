package io.berth.metadata;

import static io.berth.metadata.MetadataStoreContract.manifest;
import static io.berth.metadata.MetadataStoreContract.name;
import static io.berth.metadata.MetadataStoreContract.tag;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Claiming a tag, the part of the metadata contract tag protection relies on: a tag is set only
 * when absent, and otherwise read and held until the transaction ends, so that of concurrent first
 * writers exactly one sets it and every other sees the winner's digest. {@link MetadataStoreContract}
 * runs it on every backend.
 */
interface TagClaimContract extends MetadataContractFixture {

    @Test
    default void setTagIfAbsentSetsAnAbsentTagAndOtherwiseLeavesItWhereItPoints() {
        RepositoryName app = name("app");
        ManifestRecord first = manifest("first");
        ManifestRecord second = manifest("second");
        write(session -> {
            session.putManifest(app, first);
            session.putManifest(app, second);
        });

        Optional<Digest> fresh = store().inTransaction(session -> session.setTagIfAbsent(app, tag("1.0"), first.digest()));
        Optional<Digest> taken = store().inTransaction(session -> session.setTagIfAbsent(app, tag("1.0"), second.digest()));

        assertThat(fresh).isEmpty();
        assertThat(taken).contains(first.digest());
        assertThat(metadata().lockTag(app, tag("1.0"))).contains(first.digest());
        assertThat(metadata().lockTag(app, tag("absent"))).isEmpty();
    }

    @Test
    default void lockTagsOfListsTheTagsOfAManifest() {
        RepositoryName app = name("app");
        ManifestRecord image = manifest("image");
        write(session -> {
            session.putManifest(app, image);
            session.setTag(app, tag("b"), image.digest());
            session.setTag(app, tag("a"), image.digest());
        });

        assertThat(store().<List<String>>inTransaction(session -> session.lockTagsOf(app, image.digest()))).containsExactly("a", "b");
        assertThat(store().<List<String>>inTransaction(session -> session.lockTagsOf(app, manifest("other").digest()))).isEmpty();
    }

    @Test
    default void ofConcurrentFirstClaimsExactlyOneSetsTheTagAndTheOthersSeeItsDigest() throws Exception {
        int writers = 12;
        RepositoryName app = name("app");
        Tag release = tag("41.1");
        List<ManifestRecord> manifests = new ArrayList<>();
        for (int writer = 0; writer < writers; writer++) {
            manifests.add(manifest("image " + writer));
        }
        write(session -> manifests.forEach(manifest -> session.putManifest(app, manifest)));
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Optional<Digest>> seen = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<Digest>>> results = new ArrayList<>();
            for (ManifestRecord manifest : manifests) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store().inTransaction(session -> {
                        Optional<Digest> current = session.setTagIfAbsent(app, release, manifest.digest());
                        if (current.isPresent() && !current.get().equals(manifest.digest())) {
                            // What a writer allowed to move the tag would do next, under the claim's lock.
                            assertThat(session.lockTag(app, release)).isEqualTo(current);
                        }
                        return current;
                    });
                }));
            }
            start.countDown();
            for (Future<Optional<Digest>> result : results) {
                seen.add(result.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }

        Digest winner = metadata().lockTag(app, release).orElseThrow();
        assertThat(seen.stream().filter(Optional::isEmpty)).hasSize(1);
        assertThat(seen.stream().filter(Optional::isPresent)).hasSize(writers - 1).allMatch(current -> current.get().equals(winner));
    }
}
