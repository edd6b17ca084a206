package io.berth.registry;

import io.berth.metadata.MetadataStore;
import io.berth.metadata.ReferrerRecord;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Content discovery: tag lists (end-8), the catalog, and referrers (end-12). */
public final class ContentListing {
    private final MetadataStore metadata;

    public ContentListing(MetadataStore metadata) {
        this.metadata = metadata;
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

    /** Repository names after {@code last}, paged like {@link #tags}. */
    public Page<RepositoryName> catalog(OptionalInt n, Optional<String> last) {
        int limit = pageSize(n);
        if (limit == 0) {
            return new Page<>(List.of(), false);
        }
        return metadata.read(session -> Page.of(session.listRepositories(last, limit + 1), limit));
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
