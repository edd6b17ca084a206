package io.berth.promotion;

import io.berth.oci.Reference;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Promote {@code source:sourceReference} (a tag, resolved once, or a digest) to {@code target} under
 * every tag of {@code tags}, on behalf of {@code actor}.
 *
 * @param override      an emergency override: the gate rules' failures do not refuse the promotion,
 *                      for this reason (namespaces, tag protection and quotas still do)
 * @param clientAddress the address the request came from, for the audit trail; empty from the command line
 */
public record PromotionRequest(RepositoryName source, Reference sourceReference, RepositoryName target, List<Tag> tags,
                               String actor, Optional<OverrideReason> override, Optional<String> clientAddress) {

    public PromotionRequest {
        java.util.Objects.requireNonNull(override);
        java.util.Objects.requireNonNull(clientAddress);
        tags = List.copyOf(new LinkedHashSet<>(tags));
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("a promotion needs at least one target tag");
        }
        if (source.equals(target)) {
            throw new IllegalArgumentException("a promotion needs two different repositories");
        }
    }

    /** A promotion without an override. */
    public PromotionRequest(RepositoryName source, Reference sourceReference, RepositoryName target, List<Tag> tags,
                            String actor) {
        this(source, sourceReference, target, tags, actor, Optional.empty(), Optional.empty());
    }

    /** A promotion from nowhere on the network. */
    public PromotionRequest(RepositoryName source, Reference sourceReference, RepositoryName target, List<Tag> tags,
                            String actor, Optional<OverrideReason> override) {
        this(source, sourceReference, target, tags, actor, override, Optional.empty());
    }

    /** This request with an emergency override for {@code reason}. */
    public PromotionRequest withOverride(OverrideReason reason) {
        return new PromotionRequest(source, sourceReference, target, tags, actor, Optional.of(reason), clientAddress);
    }

    /** This request as sent from {@code address}. */
    public PromotionRequest withClientAddress(String address) {
        return new PromotionRequest(source, sourceReference, target, tags, actor, override, Optional.of(address));
    }

    /** Who asked, and from where, as events and the audit trail name them. */
    public io.berth.events.EventOrigin origin() {
        return new io.berth.events.EventOrigin(Optional.of(actor), clientAddress);
    }

    /**
     * Parses the command line's and the API's forms: {@code SOURCE} is {@code repo:tag} or
     * {@code repo@digest}; each of {@code targets} is {@code repo:tag}, all in one repository.
     */
    public static PromotionRequest parse(String source, List<String> targets, String actor) {
        int at = source.indexOf('@');
        RepositoryName sourceName;
        Reference reference;
        if (at >= 0) {
            sourceName = RepositoryName.parse(source.substring(0, at));
            reference = io.berth.oci.Digest.parse(source.substring(at + 1));
        } else {
            int colon = source.lastIndexOf(':');
            if (colon < 0 || source.indexOf('/', colon) >= 0) {
                throw new IllegalArgumentException("the source must be REPOSITORY:TAG or REPOSITORY@DIGEST, not " + source);
            }
            sourceName = RepositoryName.parse(source.substring(0, colon));
            reference = Tag.parse(source.substring(colon + 1));
        }
        RepositoryName target = null;
        List<Tag> tags = new java.util.ArrayList<>();
        for (String text : targets) {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf('/', colon) >= 0) {
                throw new IllegalArgumentException("each target must be REPOSITORY:TAG, not " + text);
            }
            RepositoryName name = RepositoryName.parse(text.substring(0, colon));
            if (target != null && !target.equals(name)) {
                throw new IllegalArgumentException("all targets must be in one repository: " + target + " and " + name);
            }
            target = name;
            tags.add(Tag.parse(text.substring(colon + 1)));
        }
        if (target == null) {
            throw new IllegalArgumentException("a promotion needs at least one target REPOSITORY:TAG");
        }
        return new PromotionRequest(sourceName, reference, target, tags, actor);
    }
}
