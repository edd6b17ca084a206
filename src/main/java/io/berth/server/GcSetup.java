package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.config.GcConfig;
import io.berth.config.RetentionRuleConfig;
import io.berth.config.TagProtectionConfig;
import io.berth.gc.GcPolicy;
import io.berth.gc.RetentionRule;
import io.berth.gc.TagGuard;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.TagPattern;
import io.berth.protection.TagProtection;
import java.time.Duration;
import java.util.List;

/** Turns the {@code gc}, {@code retention} and {@code tag-protection} sections into a {@link GcPolicy}. */
final class GcSetup {
    private GcSetup() {
    }

    static GcPolicy policy(BerthConfig config) {
        GcConfig gc = config.gc();
        int workers = config.databaseSettings().isPresent() ? gc.workers() : 1;
        return new GcPolicy(gc.grace(), gc.untaggedManifestsAfter(), retention(config.retention()),
                tagGuard(config.tagProtection()), workers, removalMemory(gc), gc.auditRetention());
    }

    /** Removals are remembered long past the mirror tree's grace, so that an export run late still drops their files. */
    static Duration removalMemory(GcConfig gc) {
        Duration twice = gc.mirrorTreeGrace().multipliedBy(2);
        return twice.compareTo(GcPolicy.DEFAULT_REMOVAL_MEMORY) > 0 ? twice : GcPolicy.DEFAULT_REMOVAL_MEMORY;
    }

    static List<RetentionRule> retention(List<RetentionRuleConfig> rules) {
        return rules.stream()
                .map(rule -> new RetentionRule(new RepositoryGlob(rule.repositories()), Duration.ofSeconds(rule.olderThanSeconds()),
                        rule.keepLast(), rule.keepTags().stream().map(TagPattern::new).toList()))
                .toList();
    }

    /** Immutable and protected tags are never removed by retention, whoever configured it. */
    static TagGuard tagGuard(List<TagProtectionConfig> protections) {
        TagProtection protection = TagProtectionSetup.protection(protections);
        if (protection.rules().isEmpty()) {
            return TagGuard.NONE;
        }
        return protection::covers;
    }
}
