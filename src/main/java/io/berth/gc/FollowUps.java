package io.berth.gc;

import io.berth.metadata.GcQueries;
import io.berth.metadata.GcReview;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The reviews a batch of removals queues for what it may have freed (a removed link's blob and
 * repository, a removed manifest's links and children), queued together at the end of the batch's
 * transaction in key order. Queueing a review another transaction is queueing, dropping or holding
 * claimed waits for that transaction; were two batches to queue the same keys in different orders,
 * each could wait for the other (a deadlock PostgreSQL ends by rolling one back). In key order, the
 * one that reaches the first shared key first goes on and the other waits for it to end
 * ({@code docs/architecture.md}, "Lock order").
 */
final class FollowUps {
    /** Key order of {@code gc_reviews}: kind, repository, digest. */
    static final Comparator<GcReview> KEY_ORDER = Comparator.comparing((GcReview review) -> review.kind().name())
            .thenComparingLong(GcReview::repositoryId)
            .thenComparing(GcReview::digest);
    /** PostgreSQL's SQLSTATE for a transaction rolled back to end a deadlock. */
    static final String DEADLOCK_DETECTED = "40P01";

    private final SortedSet<GcReview> reviews = new TreeSet<>(KEY_ORDER);

    void add(GcReview review) {
        reviews.add(review);
    }

    /** Queues every review, due {@code now}, in key order. */
    void queue(GcQueries gc, Instant now) {
        for (GcReview review : inKeyOrder()) {
            gc.queue(review, now);
        }
        reviews.clear();
    }

    /** The reviews to queue, each once, in the order they are queued. */
    List<GcReview> inKeyOrder() {
        return List.copyOf(reviews);
    }

    /** True when {@code failure} was caused by PostgreSQL ending a deadlock. */
    static boolean deadlock(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && DEADLOCK_DETECTED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
