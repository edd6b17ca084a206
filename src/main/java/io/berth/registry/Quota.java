package io.berth.registry;

import io.berth.oci.RepositoryGlob;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A limit on the repositories matching {@code repositories}, taken together: at most
 * {@code maxBytes} bytes of distinct blobs and manifests, at most {@code maxRepositories}
 * repositories; an empty limit is none.
 */
public record Quota(RepositoryGlob repositories, OptionalLong maxBytes, OptionalLong maxRepositories) {
    public Quota {
        Objects.requireNonNull(repositories, "repositories");
        Objects.requireNonNull(maxBytes, "maxBytes");
        Objects.requireNonNull(maxRepositories, "maxRepositories");
        if (maxBytes.isEmpty() && maxRepositories.isEmpty()) {
            throw new IllegalArgumentException("quota " + repositories.pattern() + " limits nothing");
        }
        if (maxBytes.orElse(0) < 0 || maxRepositories.orElse(0) < 0) {
            throw new IllegalArgumentException("quota " + repositories.pattern() + ": limits must not be negative");
        }
    }

    /** The pattern's literal start, before its first {@code *}: every repository it matches starts with it. */
    String literalPrefix() {
        String pattern = repositories.pattern();
        int wildcard = pattern.indexOf('*');
        return wildcard < 0 ? pattern : pattern.substring(0, wildcard);
    }

    /** How the quota is named in refusals and listings: its pattern, quoted. */
    String describe() {
        return "quota \"" + repositories.pattern() + "\"";
    }
}
