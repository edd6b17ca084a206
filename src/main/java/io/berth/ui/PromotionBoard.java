package io.berth.ui;

import io.berth.metadata.PromotionFilter;
import io.berth.metadata.StoredPromotion;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.promotion.NamespaceMapping;
import io.berth.promotion.PromotionRequest;
import io.berth.promotion.PromotionService;
import io.berth.protection.TagWriter;
import io.berth.registry.ContentListing;
import io.berth.registry.ManifestService;
import io.berth.registry.Page;
import io.berth.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the release engineers' pages show: the tags waiting in the repositories the promotion
 * rules map from, each with every gate's verdict decided now ({@link PromotionService#evaluate}),
 * and the promotion audit trail. Both show only what the caller may pull.
 */
public final class PromotionBoard {
    /** Candidates on one page: each costs a gate evaluation. */
    public static final int MAX_CANDIDATES = 40;
    /** Audit entries on one page of the history. */
    public static final int HISTORY_PAGE = 50;
    /** The tags cosign attaches signatures, attestations and SBOMs under: never candidates themselves. */
    private static final Pattern ATTACHMENT_TAG = Pattern.compile("sha256-[0-9a-f]{64}(\\.[a-z]+)?");
    private static final int REPOSITORY_BATCH = 100;

    private final ContentListing listing;
    private final ManifestService manifests;
    private final PromotionService promotions;

    public PromotionBoard(Registry registry, PromotionService promotions) {
        this.listing = registry.listing();
        this.manifests = registry.manifests();
        this.promotions = promotions;
    }

    /**
     * Up to {@link #MAX_CANDIDATES} candidate tags the caller may pull, repository by repository in
     * byte order, each judged as a promotion by {@code writer} would be.
     *
     * @param mayPromote whether the caller may promote on a repository
     */
    public List<PromotionCandidateView> candidates(Predicate<RepositoryName> visible, Predicate<RepositoryName> mayPromote,
                                                   TagWriter writer) {
        List<PromotionCandidateView> candidates = new ArrayList<>();
        for (NamespaceMapping mapping : promotions.rules().namespaces()) {
            for (RepositoryName source : sources(mapping, visible)) {
                RepositoryName target = mapping.targetOf(source).orElseThrow();
                for (String tag : tags(source)) {
                    if (candidates.size() >= MAX_CANDIDATES) {
                        return candidates;
                    }
                    PromotionRequest request = new PromotionRequest(source, Tag.parse(tag), target, List.of(Tag.parse(tag)),
                            "web interface");
                    try {
                        candidates.add(new PromotionCandidateView(source, tag, manifests.get(source, Tag.parse(tag)).digest(),
                                target, promotions.evaluate(request, writer), mayPromote.test(source) && mayPromote.test(target)));
                    } catch (RegistryException e) {
                        // A tag that went while the page was read is no longer a candidate.
                        if (e.code() != ErrorCode.MANIFEST_UNKNOWN) {
                            throw e;
                        }
                    }
                }
            }
        }
        return candidates;
    }

    /** The audit trail, newest first, of promotions whose source and target the caller may both pull. */
    public List<StoredPromotion> history(Predicate<RepositoryName> visible, OptionalLong before) {
        List<StoredPromotion> shown = new ArrayList<>();
        for (StoredPromotion promotion : promotions.list(new PromotionFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), before, HISTORY_PAGE))) {
            if (visible.test(RepositoryName.parse(promotion.promotion().sourceRepository()))
                    && visible.test(RepositoryName.parse(promotion.promotion().targetRepository()))) {
                shown.add(promotion);
            }
        }
        return shown;
    }

    /** The visible repositories {@code mapping} maps from: one name, or every name under its prefix. */
    private List<RepositoryName> sources(NamespaceMapping mapping, Predicate<RepositoryName> visible) {
        if (!mapping.from().endsWith("*")) {
            RepositoryName name = RepositoryName.parse(mapping.from());
            return visible.test(name) ? List.of(name) : List.of();
        }
        String prefix = mapping.from().substring(0, mapping.from().length() - 1);
        List<RepositoryName> sources = new ArrayList<>();
        Optional<String> after = prefix.isEmpty() ? Optional.empty() : Optional.of(prefix);
        while (sources.size() < MAX_CANDIDATES) {
            Page<RepositoryName> page = listing.catalog(OptionalInt.of(REPOSITORY_BATCH), after, visible);
            for (RepositoryName name : page.items()) {
                if (!name.value().startsWith(prefix)) {
                    return sources;
                }
                if (mapping.targetOf(name).isPresent()) {
                    sources.add(name);
                }
            }
            if (!page.hasMore()) {
                break;
            }
            after = Optional.of(page.items().getLast().value());
        }
        return sources;
    }

    private List<String> tags(RepositoryName source) {
        try {
            return listing.tags(source, OptionalInt.of(MAX_CANDIDATES), Optional.empty()).items().stream()
                    .filter(tag -> !ATTACHMENT_TAG.matcher(tag).matches()).toList();
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.NAME_UNKNOWN) {
                return List.of();
            }
            throw e;
        }
    }
}
