package io.berth.server;

import io.berth.config.ConfigException;
import io.berth.config.TagProtectionConfig;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.TagPattern;
import io.berth.protection.TagProtection;
import java.util.HashSet;
import java.util.List;

/** Turns the {@code tag-protection} section into a {@link TagProtection}. */
public final class TagProtectionSetup {
    private TagProtectionSetup() {
    }

    /** @throws ConfigException when a pattern is empty */
    public static TagProtection protection(List<TagProtectionConfig> entries) {
        try {
            return new TagProtection(entries.stream()
                    .map(entry -> new TagProtection.Rule(new RepositoryGlob(entry.repositories()),
                            entry.immutableTags().stream().map(TagPattern::new).toList(),
                            entry.protectedTags().stream().map(TagPattern::new).toList(),
                            new HashSet<>(entry.principals())))
                    .toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tag-protection: " + e.getMessage(), e);
        }
    }
}
