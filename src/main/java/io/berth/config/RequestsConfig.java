package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Limits on what a client's requests may hold while Berth reads them ({@code docs/security.md},
 * "Request limits"): how long a connection may stall, how slowly a body may arrive, and how much
 * heap the bodies being read may take at once.
 *
 * @param idleTimeoutSeconds            a connection that sends and receives nothing for this long is
 *                                      closed, in the middle of a request or between two (default 60)
 * @param minimumBodyBytesPerSecond     a request body arriving more slowly than this on average, once
 *                                      its grace period is over, is refused and its connection closed
 *                                      (default 240; 0 turns the check off)
 * @param minimumBodyRateGraceSeconds   how long a body may arrive at any pace before its rate is
 *                                      checked (default 5)
 * @param bodyBufferBytes               heap that the request bodies being read may take at once; each
 *                                      request reserves what it may buffer before it reads (default:
 *                                      a quarter of the maximum heap, see {@link #bodyBufferBytes(long)})
 * @param bodyWaitMilliseconds          how long a request waits for room in that budget before it is
 *                                      answered 503 with {@code Retry-After} (default 1000)
 */
public record RequestsConfig(
        @JsonProperty("idle-timeout-seconds") Integer idleTimeoutSeconds,
        @JsonProperty("minimum-body-bytes-per-second") Integer minimumBodyBytesPerSecond,
        @JsonProperty("minimum-body-rate-grace-seconds") Integer minimumBodyRateGraceSeconds,
        @JsonProperty("body-buffer-bytes") Long bodyBufferBytes,
        @JsonProperty("body-wait-milliseconds") Integer bodyWaitMilliseconds) {

    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_MINIMUM_BODY_BYTES_PER_SECOND = 240;
    public static final int DEFAULT_MINIMUM_BODY_RATE_GRACE_SECONDS = 5;
    public static final int DEFAULT_BODY_WAIT_MILLISECONDS = 1000;
    /** The default body budget is the maximum heap divided by this. */
    public static final int DEFAULT_BODY_BUFFER_HEAP_FRACTION = 4;
    /** The smallest budget: one token form or API body must always fit. */
    public static final long MINIMUM_BODY_BUFFER_BYTES = 64 * 1024;

    public RequestsConfig {
        idleTimeoutSeconds = idleTimeoutSeconds == null ? DEFAULT_IDLE_TIMEOUT_SECONDS : idleTimeoutSeconds;
        minimumBodyBytesPerSecond = minimumBodyBytesPerSecond == null
                ? DEFAULT_MINIMUM_BODY_BYTES_PER_SECOND : minimumBodyBytesPerSecond;
        minimumBodyRateGraceSeconds = minimumBodyRateGraceSeconds == null
                ? DEFAULT_MINIMUM_BODY_RATE_GRACE_SECONDS : minimumBodyRateGraceSeconds;
        bodyWaitMilliseconds = bodyWaitMilliseconds == null ? DEFAULT_BODY_WAIT_MILLISECONDS : bodyWaitMilliseconds;
        if (idleTimeoutSeconds <= 0) {
            throw new ConfigException("requests.idle-timeout-seconds must be positive");
        }
        if (minimumBodyBytesPerSecond < 0) {
            throw new ConfigException("requests.minimum-body-bytes-per-second must not be negative");
        }
        if (minimumBodyRateGraceSeconds <= 0) {
            throw new ConfigException("requests.minimum-body-rate-grace-seconds must be positive");
        }
        if (bodyBufferBytes != null && bodyBufferBytes < MINIMUM_BODY_BUFFER_BYTES) {
            throw new ConfigException("requests.body-buffer-bytes must be at least " + MINIMUM_BODY_BUFFER_BYTES);
        }
        if (bodyWaitMilliseconds < 0) {
            throw new ConfigException("requests.body-wait-milliseconds must not be negative");
        }
    }

    public static RequestsConfig defaults() {
        return new RequestsConfig(null, null, null, null, null);
    }

    public Duration idleTimeout() {
        return Duration.ofSeconds(idleTimeoutSeconds);
    }

    public Duration minimumBodyRateGrace() {
        return Duration.ofSeconds(minimumBodyRateGraceSeconds);
    }

    public Duration bodyWait() {
        return Duration.ofMillis(bodyWaitMilliseconds);
    }

    /**
     * The configured body budget, or by default a quarter of {@code maxHeapBytes} (24 MiB with the
     * launcher's 96 MiB heap), never less than {@link #MINIMUM_BODY_BUFFER_BYTES}.
     */
    public long bodyBufferBytes(long maxHeapBytes) {
        if (bodyBufferBytes != null) {
            return bodyBufferBytes;
        }
        return Math.max(MINIMUM_BODY_BUFFER_BYTES, maxHeapBytes / DEFAULT_BODY_BUFFER_HEAP_FRACTION);
    }
}
