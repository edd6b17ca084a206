package io.berth.protection;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryGlob;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.oci.TagPattern;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Tag protection on every write of a tag (push, {@code ?tag=}, delete, promotion). Every rule whose
 * repository pattern matches applies:
 *
 * <ul>
 *   <li>an <em>immutable</em> tag may be set once; setting it again to the digest it already points at
 *       is allowed (an idempotent re-push); moving or deleting it is refused for everyone, the local
 *       operator included;</li>
 *   <li>a <em>protected</em> tag may be set, moved or deleted only by the rule's principals
 *       ({@code alice}, {@code robot$ci}, {@code SUBJECT@ISSUER}) and by the local operator.</li>
 * </ul>
 *
 * A write that changes nothing (the same digest again) is always allowed. The caller must decide
 * against the digest the tag points at inside the transaction that changes it, so that two
 * concurrent writers cannot both see it unset.
 */
public final class TagProtection {
    /** Protects nothing. */
    public static final TagProtection NONE = new TagProtection(List.of());

    private final List<Rule> rules;

    /**
     * One entry of protection.
     *
     * @param repositories  the repositories it applies to
     * @param immutableTags tags that, once set, are never moved or deleted
     * @param protectedTags tags that only {@code principals} may set, move or delete
     * @param principals    names as {@link TagWriter#named} gives them
     */
    public record Rule(RepositoryGlob repositories, List<TagPattern> immutableTags, List<TagPattern> protectedTags,
                       Set<String> principals) {
        public Rule {
            immutableTags = List.copyOf(immutableTags);
            protectedTags = List.copyOf(protectedTags);
            principals = Set.copyOf(principals);
        }

        boolean appliesTo(RepositoryName repository) {
            return repositories.matches(repository.value());
        }

        Optional<TagPattern> immutable(String tag) {
            return immutableTags.stream().filter(pattern -> pattern.matches(tag)).findFirst();
        }

        Optional<TagPattern> isProtected(String tag) {
            return protectedTags.stream().filter(pattern -> pattern.matches(tag)).findFirst();
        }
    }

    public TagProtection(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** True when some rule applies to {@code repository} at all. */
    public boolean coversRepository(RepositoryName repository) {
        return rules.stream().anyMatch(rule -> rule.appliesTo(repository));
    }

    /** True when {@code tag} of {@code repository} is immutable or protected by some rule. */
    public boolean covers(RepositoryName repository, String tag) {
        return rules.stream().filter(rule -> rule.appliesTo(repository))
                .anyMatch(rule -> rule.immutable(tag).isPresent() || rule.isProtected(tag).isPresent());
    }

    /**
     * Whether {@code writer} may change {@code tag} from {@code current} (empty: the tag is not set)
     * to {@code next} (empty: the tag is deleted).
     */
    public TagDecision decide(RepositoryName repository, Tag tag, Optional<Digest> current, Optional<Digest> next,
                              TagWriter writer) {
        if (current.equals(next)) {
            return TagDecision.ALLOWED;
        }
        String change = next.isEmpty() ? "delete" : current.isEmpty() ? "set" : "move";
        for (Rule rule : rules) {
            if (!rule.appliesTo(repository)) {
                continue;
            }
            Optional<TagPattern> immutable = rule.immutable(tag.value());
            if (immutable.isPresent() && current.isPresent()) {
                return new TagDecision.Refused("tag " + repository + ":" + tag + " is immutable (tag-protection "
                        + rule.repositories() + ", immutable-tags " + immutable.get() + "): it points at "
                        + current.get() + " and is never moved or deleted; cannot " + change + " it");
            }
            Optional<TagPattern> guarded = rule.isProtected(tag.value());
            if (guarded.isPresent() && !mayChangeProtected(rule, writer)) {
                return new TagDecision.Refused("tag " + repository + ":" + tag + " is protected (tag-protection "
                        + rule.repositories() + ", protected-tags " + guarded.get() + "): " + writer + " may not "
                        + change + " it; only " + principals(rule) + " may");
            }
        }
        return TagDecision.ALLOWED;
    }

    private static boolean mayChangeProtected(Rule rule, TagWriter writer) {
        return switch (writer) {
            case TagWriter.LocalOperator operator -> true;
            case TagWriter.Named named -> rule.principals().contains(named.name());
            case TagWriter.Anonymous anonymous -> false;
        };
    }

    private static String principals(Rule rule) {
        return Stream.concat(rule.principals().stream().sorted(), Stream.of("the local operator"))
                .reduce((left, right) -> left + ", " + right).orElseThrow();
    }
}
