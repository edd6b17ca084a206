package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Optional;

/**
 * Online garbage collection ({@code docs/operations.md}, "Garbage collection").
 *
 * @param intervalSeconds                 how often each node runs a pass on its own (default 600); 0: only {@code berth gc}
 * @param graceSeconds                    how long something must stay unreferenced before it is removed (default 86400)
 * @param untaggedManifestsAfterSeconds   untagged manifests older than this are removed (default 0: never)
 * @param mirrorTreeGraceSeconds          how long the mirror tree keeps a removed blob's file (default 172800)
 * @param workers                         review workers per pass on PostgreSQL (default 2; SQLite always runs one)
 * @param auditRetentionDays              each pass removes audit entries older than this (default 0: kept for ever)
 */
public record GcConfig(
        @JsonProperty("interval-seconds") Long intervalSeconds,
        @JsonProperty("grace-seconds") Long graceSeconds,
        @JsonProperty("untagged-manifests-after-seconds") Long untaggedManifestsAfterSeconds,
        @JsonProperty("mirror-tree-grace-seconds") Long mirrorTreeGraceSeconds,
        @JsonProperty("workers") Integer workers,
        @JsonProperty("audit-retention-days") Long auditRetentionDays) {

    public static final long DEFAULT_INTERVAL_SECONDS = 600;
    public static final long DEFAULT_GRACE_SECONDS = 86_400;
    public static final long DEFAULT_MIRROR_TREE_GRACE_SECONDS = 172_800;
    public static final int DEFAULT_WORKERS = 2;
    /** The longest audit retention accepted: a hundred years (a larger figure is a typo, not a policy). */
    public static final long MAX_AUDIT_RETENTION_DAYS = 36_500;

    public GcConfig {
        intervalSeconds = intervalSeconds == null ? DEFAULT_INTERVAL_SECONDS : intervalSeconds;
        graceSeconds = graceSeconds == null ? DEFAULT_GRACE_SECONDS : graceSeconds;
        untaggedManifestsAfterSeconds = untaggedManifestsAfterSeconds == null ? 0 : untaggedManifestsAfterSeconds;
        mirrorTreeGraceSeconds = mirrorTreeGraceSeconds == null ? DEFAULT_MIRROR_TREE_GRACE_SECONDS : mirrorTreeGraceSeconds;
        workers = workers == null ? DEFAULT_WORKERS : workers;
        auditRetentionDays = auditRetentionDays == null ? 0 : auditRetentionDays;
        if (auditRetentionDays < 0 || auditRetentionDays > MAX_AUDIT_RETENTION_DAYS) {
            throw new ConfigException("gc.audit-retention-days must be between 0 (keep for ever) and "
                    + MAX_AUDIT_RETENTION_DAYS);
        }
        if (intervalSeconds < 0 || graceSeconds < 0 || untaggedManifestsAfterSeconds < 0 || mirrorTreeGraceSeconds < 0) {
            throw new ConfigException("gc durations must not be negative");
        }
        if (workers < 1 || workers > 64) {
            throw new ConfigException("gc.workers must be between 1 and 64");
        }
    }

    public static GcConfig defaults() {
        return new GcConfig(null, null, null, null, null, null);
    }

    /** How often a node runs a pass on its own; empty when only {@code berth gc} runs them. */
    public Optional<Duration> interval() {
        return intervalSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(intervalSeconds));
    }

    /** How long audit entries are kept; empty when they are kept for ever. */
    public Optional<Duration> auditRetention() {
        return auditRetentionDays == 0 ? Optional.empty() : Optional.of(Duration.ofDays(auditRetentionDays));
    }

    public Duration grace() {
        return Duration.ofSeconds(graceSeconds);
    }

    /** How old an untagged manifest must be to be removed; empty when they are kept. */
    public Optional<Duration> untaggedManifestsAfter() {
        return untaggedManifestsAfterSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(untaggedManifestsAfterSeconds));
    }

    public Duration mirrorTreeGrace() {
        return Duration.ofSeconds(mirrorTreeGraceSeconds);
    }
}
