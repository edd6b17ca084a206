package io.berth.gc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a soak's clients and collectors counted, shared by all their threads. Failures are kept as
 * text (the first {@link #LISTED} of each sort) so that a failed run says what went wrong.
 */
final class SoakCounts {
    /** Failures listed by text, per sort; the rest are only counted. */
    static final int LISTED = 20;

    final LongAdder pushesAttempted = new LongAdder();
    final LongAdder pushesAcknowledged = new LongAdder();
    /** Pushes whose manifest was refused once and acknowledged after the blobs were uploaded again. */
    final LongAdder pushesRetried = new LongAdder();
    final LongAdder mounts = new LongAdder();
    final LongAdder mountsFellBackToUpload = new LongAdder();
    final LongAdder tagDeletes = new LongAdder();
    final LongAdder manifestDeletes = new LongAdder();
    final LongAdder promotions = new LongAdder();
    final LongAdder verifiedPulls = new LongAdder();
    /** Pulls answered 5xx or cut off, then answered correctly when asked again. */
    final LongAdder transientPullErrors = new LongAdder();
    final LongAdder gcPasses = new LongAdder();
    final LongAdder gcDeadlocks = new LongAdder();
    final LongAdder gcBlobsRemoved = new LongAdder();
    final LongAdder gcManifestsRemoved = new LongAdder();
    final LongAdder gcLinksRemoved = new LongAdder();

    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Failures failedPulls = new Failures();
    private final Failures otherFailures = new Failures();

    /** A push that was not acknowledged, by why (say {@code manifest 400 MANIFEST_BLOB_UNKNOWN}). */
    void refused(String reason) {
        refusals.computeIfAbsent(reason, key -> new LongAdder()).increment();
    }

    /** An acknowledged, still-current image that could not be pulled back intact. */
    void failedPull(String what) {
        failedPulls.add(what);
    }

    /** Anything else that should not happen: a delete or promotion answered 5xx, a pass that threw. */
    void otherFailure(String what) {
        otherFailures.add(what);
    }

    long refusalCount() {
        return refusals.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> refusalsByReason() {
        Map<String, Long> byReason = new TreeMap<>();
        refusals.forEach((reason, count) -> byReason.put(reason, count.sum()));
        return byReason;
    }

    long failedPullCount() {
        return failedPulls.count.sum();
    }

    List<String> failedPullsListed() {
        return failedPulls.listed();
    }

    long otherFailureCount() {
        return otherFailures.count.sum();
    }

    List<String> otherFailuresListed() {
        return otherFailures.listed();
    }

    private static final class Failures {
        final LongAdder count = new LongAdder();
        private final List<String> listed = new ArrayList<>();

        void add(String what) {
            count.increment();
            synchronized (listed) {
                if (listed.size() < LISTED) {
                    listed.add(what);
                }
            }
        }

        List<String> listed() {
            synchronized (listed) {
                return List.copyOf(listed);
            }
        }
    }
}
