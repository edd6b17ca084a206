package io.berth.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The event outbox: events appended in the transaction of the change they describe, claimed and
 * delivered later by a dispatcher on any node.
 */
public interface OutboxQueries {

    /**
     * Adds {@code event}, due at once. Call it inside the transaction that makes the change, so the
     * event commits or rolls back with it. Locks nothing but its own new row.
     */
    void append(OutboxEvent event);

    /**
     * Inside a transaction, takes up to {@code limit} events due at {@code now}, oldest due first,
     * and makes them due again only at {@code leaseUntil}, so that no other claimer takes them while
     * this one delivers. Rows another transaction is claiming are skipped, never waited for
     * (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}; SQLite runs one writer at a time).
     */
    List<PendingEvent> claimDue(Instant now, Instant leaseUntil, int limit);

    /**
     * Records a partial delivery of event {@code id}: where it arrived so far, the attempts made,
     * when to try again, and why the last attempt failed.
     */
    void reschedule(UUID id, Set<String> deliveredTo, int attempts, Instant nextAttemptAt, Optional<String> lastError);

    /** Removes event {@code id}, delivered everywhere; false when it was already gone. */
    boolean remove(UUID id);

    /** Removes the events that occurred before {@code cutoff}, delivered or not; how many. */
    int pruneOccurredBefore(Instant cutoff);

    /** The events still in the outbox, oldest first (for operators and tests). */
    List<PendingEvent> pending();
}
