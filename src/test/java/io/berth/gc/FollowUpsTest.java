package io.berth.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.GcReview;
import io.berth.metadata.MetadataException;
import io.berth.metadata.ReviewKind;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * What a batch queues for what it freed is queued once each and in key order, whatever order the
 * removals found it in, so that batches on several workers never wait for each other both ways; and
 * a rollback PostgreSQL chose to end a deadlock is told apart from other failures.
 */
class FollowUpsTest {

    @Test
    void reviewsAreQueuedOnceEachInKeyOrder() {
        FollowUps followUps = new FollowUps();
        followUps.add(new GcReview(ReviewKind.REPOSITORY, 2, ""));
        followUps.add(new GcReview(ReviewKind.BLOB, 0, "sha256:bb"));
        followUps.add(new GcReview(ReviewKind.LINK, 7, "sha256:aa"));
        followUps.add(new GcReview(ReviewKind.BLOB, 0, "sha256:aa"));
        followUps.add(new GcReview(ReviewKind.REPOSITORY, 1, ""));
        followUps.add(new GcReview(ReviewKind.BLOB, 0, "sha256:bb"));

        assertThat(followUps.inKeyOrder()).containsExactly(
                new GcReview(ReviewKind.BLOB, 0, "sha256:aa"),
                new GcReview(ReviewKind.BLOB, 0, "sha256:bb"),
                new GcReview(ReviewKind.LINK, 7, "sha256:aa"),
                new GcReview(ReviewKind.REPOSITORY, 1, ""),
                new GcReview(ReviewKind.REPOSITORY, 2, ""));
    }

    @Test
    void aDeadlockIsToldApartFromOtherRollbacks() {
        MetadataException deadlock = new MetadataException("claim_due_reviews failed",
                new SQLException("ERROR: deadlock detected", FollowUps.DEADLOCK_DETECTED));
        MetadataException conflict = new MetadataException("queue_review failed",
                new SQLException("ERROR: duplicate key value", "23505"));

        assertThat(FollowUps.deadlock(deadlock)).isTrue();
        assertThat(FollowUps.deadlock(conflict)).isFalse();
    }
}
