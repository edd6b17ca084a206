package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A webhook events are POSTed to ({@code events.webhooks[]}).
 *
 * @param url            {@code http://} or {@code https://}; redirects are not followed
 * @param secretFile     a file holding the HMAC-SHA256 signing secret (required; surrounding whitespace is dropped)
 * @param types          the event families it wants: {@code push}, {@code delete}, {@code tag},
 *                       {@code promotion}, {@code mirror}; absent: all
 * @param timeoutSeconds how long connecting, and the whole request, may each take (default 10)
 */
public record WebhookConfig(
        @JsonProperty("url") String url,
        @JsonProperty("secret-file") String secretFile,
        @JsonProperty("types") List<String> types,
        @JsonProperty("timeout-seconds") Long timeoutSeconds) {

    /** The families of events, as {@code io.berth.events.EventType} names them. */
    public static final Set<String> EVENT_FAMILIES = Set.of("push", "delete", "tag", "promotion", "mirror");
    public static final long DEFAULT_TIMEOUT_SECONDS = 10;

    public WebhookConfig {
        types = types == null ? List.of() : List.copyOf(types);
        timeoutSeconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
        if (url == null || url.isBlank()) {
            throw new ConfigException("events.webhooks[].url is required");
        }
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException("events.webhooks[].url is not a URI");
        }
        if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new ConfigException("events.webhooks[].url must be http://host… or https://host…");
        }
        if (parsed.getRawUserInfo() != null) {
            throw new ConfigException("events.webhooks[].url must not hold credentials; the secret-file signs each request");
        }
        if (secretFile == null || secretFile.isBlank()) {
            throw new ConfigException("events.webhooks[].secret-file is required");
        }
        for (String type : types) {
            if (!EVENT_FAMILIES.contains(type)) {
                throw new ConfigException("events.webhooks[].types: unknown event type '" + type + "', expected one of "
                        + new java.util.TreeSet<>(EVENT_FAMILIES));
            }
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 300) {
            throw new ConfigException("events.webhooks[].timeout-seconds must be between 1 and 300");
        }
    }

    public URI uri() {
        return URI.create(url);
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }
}
