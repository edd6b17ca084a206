package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Events and where they are delivered ({@code docs/operations.md}, "Events"). Without a destination,
 * no event is recorded.
 *
 * @param amqp                   an AMQP topic exchange to publish to, when present
 * @param webhooks               URLs to POST CloudEvents to
 * @param retentionHours         how long an event not yet delivered everywhere is kept (default 168)
 * @param pollIntervalMillis     how often each node looks for due events (default 1000)
 * @param retryInitialMillis     the wait after a first failed delivery, doubling after each further one (default 1000)
 * @param retryMaximumSeconds    the longest wait between attempts (default 300)
 * @param cloudEventsSource      the CloudEvents {@code source} of webhook events (default {@code /berth})
 */
public record EventsConfig(
        @JsonProperty("amqp") AmqpConfig amqp,
        @JsonProperty("webhooks") List<WebhookConfig> webhooks,
        @JsonProperty("retention-hours") Long retentionHours,
        @JsonProperty("poll-interval-ms") Long pollIntervalMillis,
        @JsonProperty("retry-initial-ms") Long retryInitialMillis,
        @JsonProperty("retry-maximum-seconds") Long retryMaximumSeconds,
        @JsonProperty("cloudevents-source") String cloudEventsSource) {

    public static final long DEFAULT_RETENTION_HOURS = 168;
    public static final long DEFAULT_POLL_INTERVAL_MILLIS = 1000;
    public static final long DEFAULT_RETRY_INITIAL_MILLIS = 1000;
    public static final long DEFAULT_RETRY_MAXIMUM_SECONDS = 300;
    public static final String DEFAULT_CLOUDEVENTS_SOURCE = "/berth";

    public EventsConfig {
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        retentionHours = retentionHours == null ? DEFAULT_RETENTION_HOURS : retentionHours;
        pollIntervalMillis = pollIntervalMillis == null ? DEFAULT_POLL_INTERVAL_MILLIS : pollIntervalMillis;
        retryInitialMillis = retryInitialMillis == null ? DEFAULT_RETRY_INITIAL_MILLIS : retryInitialMillis;
        retryMaximumSeconds = retryMaximumSeconds == null ? DEFAULT_RETRY_MAXIMUM_SECONDS : retryMaximumSeconds;
        cloudEventsSource = cloudEventsSource == null ? DEFAULT_CLOUDEVENTS_SOURCE : cloudEventsSource;
        if (retentionHours < 1) {
            throw new ConfigException("events.retention-hours must be at least 1");
        }
        if (pollIntervalMillis < 10 || pollIntervalMillis > 3_600_000) {
            throw new ConfigException("events.poll-interval-ms must be between 10 and 3600000");
        }
        if (retryInitialMillis < 10) {
            throw new ConfigException("events.retry-initial-ms must be at least 10");
        }
        if (retryMaximumSeconds * 1000 < retryInitialMillis) {
            throw new ConfigException("events.retry-maximum-seconds must not be shorter than events.retry-initial-ms");
        }
        if (cloudEventsSource.isBlank()) {
            throw new ConfigException("events.cloudevents-source must not be blank");
        }
        if (webhooks.stream().map(WebhookConfig::url).distinct().count() < webhooks.size()) {
            throw new ConfigException("events.webhooks: each url may appear once");
        }
    }

    public static EventsConfig defaults() {
        return new EventsConfig(null, null, null, null, null, null, null);
    }

    public Optional<AmqpConfig> amqpDestination() {
        return Optional.ofNullable(amqp);
    }

    /** Whether any destination is configured: only then are events recorded. */
    public boolean enabled() {
        return amqp != null || !webhooks.isEmpty();
    }

    public Duration retention() {
        return Duration.ofHours(retentionHours);
    }

    public Duration pollInterval() {
        return Duration.ofMillis(pollIntervalMillis);
    }

    public Duration retryInitial() {
        return Duration.ofMillis(retryInitialMillis);
    }

    public Duration retryMaximum() {
        return Duration.ofSeconds(retryMaximumSeconds);
    }
}
