package io.berth.registry;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.ReferrerRecord;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Optional;
import java.util.OptionalInt;

/** Content discovery: tag lists (end-8), the catalog, and referrers (end-12). */
public final class ContentListing {
    private final MetadataStore metadata;
    private final Quotas quotas;

    public ContentListing(MetadataStore metadata) {
        this(metadata, Quotas.NONE);
    }

    /** @param quotas the quotas whose usage {@link #quotaUsage} lists */
    public ContentListing(MetadataStore metadata, Quotas quotas) {
        this.metadata = metadata;
        this.quotas = quotas;
    }

    /**
     * What each namespace (a repository name's first component) holds: its repositories that hold
     * a manifest, and their bytes taken together as quotas count them. Reads every repository name
     * and one sum per namespace: for a background summary, not for the request path.
     */
    public List<NamespaceStorage> storageByNamespace() {
        java.util.Map<String, List<RepositoryName>> byNamespace = new java.util.TreeMap<>();
        Optional<String> after = Optional.empty();
        while (true) {
            Optional<String> from = after;
            List<RepositoryName> batch = metadata.read(session -> session.listRepositories(from, Limits.MAX_PAGE_SIZE));
            for (RepositoryName name : batch) {
                byNamespace.computeIfAbsent(name.namespace(), key -> new ArrayList<>()).add(name);
            }
            if (batch.size() < Limits.MAX_PAGE_SIZE) {
                break;
            }
            after = Optional.of(batch.getLast().value());
        }
        List<NamespaceStorage> storage = new ArrayList<>();
        byNamespace.forEach((namespace, names) -> storage.add(new NamespaceStorage(namespace, names.size(),
                metadata.read(session -> session.quotas().storedBytes(names)))));
        return storage;
    }

    /** What one namespace holds ({@link #storageByNamespace}). */
    public record NamespaceStorage(String namespace, int repositories, long bytes) {
    }

    /** Every configured quota with what its repositories hold now, in configuration order. */
    public List<QuotaUsage> quotaUsage() {
        return quotas.usage(metadata);
    }

    /**
     * Tags after {@code last} in byte order; {@code n} of zero gives an empty page, a missing or
     * larger {@code n} gives at most {@link Limits#MAX_PAGE_SIZE}.
     *
     * @throws RegistryException {@code NAME_UNKNOWN} when the repository has no content
     */
    public Page<String> tags(RepositoryName repository, OptionalInt n, Optional<String> last) {
        int limit = pageSize(n);
        return metadata.read(session -> {
            if (!session.repositoryExists(repository)) {
                throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "repository " + repository + " is not known");
            }
            if (limit == 0) {
                return new Page<>(List.of(), false);
            }
            return Page.of(session.listTags(repository, last, limit + 1), limit);
        });
    }

    /**
     * Repository names after {@code last} that {@code visible} accepts, paged like {@link #tags}.
     * Invisible names are skipped without revealing them, reading further batches as needed.
     */
    public Page<RepositoryName> catalog(OptionalInt n, Optional<String> last, Predicate<RepositoryName> visible) {
        return catalog(n, last, visible, Optional.empty());
    }

    /**
     * Like {@link #catalog(OptionalInt, Optional, Predicate)}, only the names containing
     * {@code fragment} when one is given (matched literally, as written).
     */
    public Page<RepositoryName> catalog(OptionalInt n, Optional<String> last, Predicate<RepositoryName> visible,
                                        Optional<String> fragment) {
        int limit = pageSize(n);
        if (limit == 0) {
            return new Page<>(List.of(), false);
        }
        List<RepositoryName> page = new ArrayList<>();
        Optional<String> after = last;
        while (true) {
            Optional<String> from = after;
            List<RepositoryName> batch = metadata.read(session -> fragment.isPresent()
                    ? session.searchRepositories(fragment.get(), from, limit + 1)
                    : session.listRepositories(from, limit + 1));
            for (RepositoryName name : batch) {
                if (visible.test(name)) {
                    page.add(name);
                }
            }
            if (page.size() > limit || batch.size() <= limit) {
                return Page.of(page, limit);
            }
            after = Optional.of(batch.getLast().value());
        }
    }

    /** Every tag of the repository that points at {@code manifest}, in byte order; empty when none. */
    public List<String> tagsOf(RepositoryName repository, Digest manifest) {
        return metadata.read(session -> session.tagsOf(repository, manifest));
    }

    /** Manifests in the repository whose subject is {@code subject}; empty, never an error, when none. */
    public List<ReferrerRecord> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
        return metadata.read(session -> session.referrers(repository, subject, artifactType));
    }

    private static int pageSize(OptionalInt n) {
        if (n.isEmpty()) {
            return Limits.MAX_PAGE_SIZE;
        }
        if (n.getAsInt() < 0) {
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 400, "n must not be negative");
        }
        return Math.min(n.getAsInt(), Limits.MAX_PAGE_SIZE);
    }
}
