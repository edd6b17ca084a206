package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Tag protection in the repositories matching {@code repositories}, on every push, delete and
 * promotion ({@code docs/configuration.md}, "tag-protection").
 *
 * @param repositories   repository pattern ({@code *} one component, {@code **} any)
 * @param immutableTags  tag patterns that, once set, are never moved or deleted by anyone
 * @param protectedTags  tag patterns that only {@code principals} may set, move or delete
 * @param principals     who may change protected tags: {@code alice} (an htpasswd user),
 *                       {@code robot$ci} (a robot), {@code SUBJECT@ISSUER} (an external token holder)
 */
public record TagProtectionConfig(
        @JsonProperty("repositories") String repositories,
        @JsonProperty("immutable-tags") List<String> immutableTags,
        @JsonProperty("protected-tags") List<String> protectedTags,
        @JsonProperty("principals") List<String> principals) {

    public TagProtectionConfig {
        if (repositories == null || repositories.isBlank()) {
            throw new ConfigException("every tag-protection entry needs repositories");
        }
        immutableTags = immutableTags == null ? List.of() : List.copyOf(immutableTags);
        protectedTags = protectedTags == null ? List.of() : List.copyOf(protectedTags);
        principals = principals == null ? List.of() : List.copyOf(principals);
    }
}
