package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Optional;

/**
 * Expiry of abandoned upload sessions: a session that receives nothing for {@code expireAfterSeconds}
 * is removed with its staged bytes, and a client that comes back gets {@code BLOB_UPLOAD_UNKNOWN}.
 *
 * @param expireAfterSeconds    how long a session may sit idle (default 86400, one day); 0 keeps
 *                              sessions until they are completed or cancelled
 * @param sweepIntervalSeconds  how often each node looks for idle sessions (default 3600)
 */
public record UploadsConfig(
        @JsonProperty("expire-after-seconds") Long expireAfterSeconds,
        @JsonProperty("sweep-interval-seconds") Long sweepIntervalSeconds) {

    public static final long DEFAULT_EXPIRE_AFTER_SECONDS = 86_400;
    public static final long DEFAULT_SWEEP_INTERVAL_SECONDS = 3_600;

    public UploadsConfig {
        expireAfterSeconds = expireAfterSeconds == null ? DEFAULT_EXPIRE_AFTER_SECONDS : expireAfterSeconds;
        sweepIntervalSeconds = sweepIntervalSeconds == null ? DEFAULT_SWEEP_INTERVAL_SECONDS : sweepIntervalSeconds;
        if (expireAfterSeconds < 0) {
            throw new ConfigException("uploads.expire-after-seconds must not be negative");
        }
        if (sweepIntervalSeconds <= 0) {
            throw new ConfigException("uploads.sweep-interval-seconds must be positive");
        }
    }

    public static UploadsConfig defaults() {
        return new UploadsConfig(null, null);
    }

    /** How long a session may sit idle; empty when sessions never expire. */
    public Optional<Duration> expireAfter() {
        return expireAfterSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(expireAfterSeconds));
    }

    public Duration sweepInterval() {
        return Duration.ofSeconds(sweepIntervalSeconds);
    }
}
