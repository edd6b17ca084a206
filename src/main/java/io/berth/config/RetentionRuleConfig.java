package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One retention rule: in the repositories matching {@code repositories}, tags older than
 * {@code olderThanSeconds} are removed, except the newest {@code keepLast} of each repository and
 * tags matching {@code keepTags}. Promoted content, immutable or protected tags, and whatever a kept
 * manifest needs are never removed ({@code docs/operations.md}, "Retention").
 *
 * @param repositories      repository pattern ({@code *} one component, {@code **} any)
 * @param olderThanSeconds  a tag not moved for this long may go (required, positive)
 * @param keepLast          the newest tags of each repository that always stay (default 0)
 * @param keepTags          tag patterns ({@code *}, {@code ?}) that always stay
 */
public record RetentionRuleConfig(
        @JsonProperty("repositories") String repositories,
        @JsonProperty("older-than-seconds") Long olderThanSeconds,
        @JsonProperty("keep-last") Integer keepLast,
        @JsonProperty("keep-tags") List<String> keepTags) {

    public RetentionRuleConfig {
        if (repositories == null || repositories.isBlank()) {
            throw new ConfigException("every retention entry needs repositories");
        }
        if (olderThanSeconds == null || olderThanSeconds <= 0) {
            throw new ConfigException("retention entry " + repositories + " needs a positive older-than-seconds");
        }
        keepLast = keepLast == null ? 0 : keepLast;
        if (keepLast < 0) {
            throw new ConfigException("retention entry " + repositories + ": keep-last must not be negative");
        }
        keepTags = keepTags == null ? List.of() : List.copyOf(keepTags);
    }
}
