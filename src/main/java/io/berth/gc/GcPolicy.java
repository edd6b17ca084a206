package io.berth.gc;

import io.berth.oci.RepositoryName;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What garbage collection may remove, and when.
 *
 * @param grace           how long a link, blob or repository must stay unreferenced before it goes
 * @param untaggedAfter   how old an untagged manifest must be to go; empty: untagged manifests stay
 * @param retention       which tags grow old, per repository pattern (the most specific pattern wins)
 * @param tagGuard        tags retention never removes (immutable and protected tags)
 * @param workers         how many reviewers run at once (1 on SQLite)
 * @param removalMemory   how long a removed blob is remembered for the mirror tree, which drops its file
 *                        after its own grace; a pass forgets older removals so the list stays bounded
 * @param auditRetention  how long audit entries are kept; empty: for ever
 */
public record GcPolicy(Duration grace, Optional<Duration> untaggedAfter, List<RetentionRule> retention, TagGuard tagGuard,
                       int workers, Duration removalMemory, Optional<Duration> auditRetention) {

    /** How long removals are remembered unless told otherwise: well past the mirror tree's default grace. */
    public static final Duration DEFAULT_REMOVAL_MEMORY = Duration.ofDays(30);

    public GcPolicy(Duration grace, Optional<Duration> untaggedAfter, List<RetentionRule> retention, TagGuard tagGuard,
                    int workers) {
        this(grace, untaggedAfter, retention, tagGuard, workers, DEFAULT_REMOVAL_MEMORY);
    }

    public GcPolicy(Duration grace, Optional<Duration> untaggedAfter, List<RetentionRule> retention, TagGuard tagGuard,
                    int workers, Duration removalMemory) {
        this(grace, untaggedAfter, retention, tagGuard, workers, removalMemory, Optional.empty());
    }

    public GcPolicy {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        retention = List.copyOf(retention);
        java.util.Objects.requireNonNull(auditRetention);
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker");
        }
    }

    /** The default policy: a day's grace, untagged manifests kept, no retention. */
    public static GcPolicy defaults() {
        return new GcPolicy(Duration.ofDays(1), Optional.empty(), List.of(), TagGuard.NONE, 1);
    }

    /** The retention rule for a repository: the most specific matching pattern, if any. */
    public Optional<RetentionRule> retentionFor(RepositoryName repository) {
        return retention.stream()
                .filter(rule -> rule.repositories().matches(repository.value()))
                .max(Comparator.comparingInt(rule -> rule.repositories().specificity()));
    }
}
