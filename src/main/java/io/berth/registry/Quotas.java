package io.berth.registry;

import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Quotas, measured in the metadata database and checked on every push that adds to a repository:
 * completing a blob upload, mounting a blob, storing a manifest, and starting a push into a
 * repository that does not exist yet. Every quota whose pattern matches the repository applies. A
 * refusal is 403 {@code DENIED} naming the quota, its limit and what its repositories hold.
 *
 * <p>Checks made inside the transaction that writes ({@link #checkBlob}, {@link #checkManifest} with
 * a transaction's session) first take the quota's lock ({@link io.berth.metadata.QuotaQueries#lockQuota}),
 * so that two pushes near a limit are judged one after the other and cannot both pass.
 */
public final class Quotas {
    /** No quotas: every check passes. */
    public static final Quotas NONE = new Quotas(List.of());

    private final List<Quota> quotas;

    public Quotas(List<Quota> quotas) {
        this.quotas = List.copyOf(quotas);
    }

    /** Whether any quota is configured. */
    public boolean isEmpty() {
        return quotas.isEmpty();
    }

    /** Every quota with what its repositories hold now, in configuration order. */
    public List<QuotaUsage> usage(MetadataStore metadata) {
        return metadata.read(session -> {
            List<QuotaUsage> usage = new ArrayList<>();
            for (Quota quota : quotas) {
                List<RepositoryName> covered = covered(session, quota);
                usage.add(new QuotaUsage(quota, session.quotas().storedBytes(covered), covered));
            }
            return usage;
        });
    }

    /**
     * Refuses when adding a repository would pass a quota's {@code max-repositories}; passes for a
     * repository that exists already.
     */
    public void checkRepository(MetadataSession session, RepositoryName repository) {
        for (Quota quota : applying(repository)) {
            List<RepositoryName> covered = covered(session, quota);
            checkRepositoryCount(quota, covered, repository);
        }
    }

    /** Refuses when linking the blob {@code digest} of {@code size} bytes into {@code repository} would pass a quota. */
    public void checkBlob(MetadataSession session, RepositoryName repository, Digest digest, long size) {
        refusal(session, repository, Map.of(digest, size), Map.of()).ifPresent(Quotas::deny);
    }

    /** Refuses when storing the manifest {@code digest} of {@code size} bytes in {@code repository} would pass a quota. */
    public void checkManifest(MetadataSession session, RepositoryName repository, Digest digest, long size) {
        refusal(session, repository, Map.of(), Map.of(digest, size)).ifPresent(Quotas::deny);
    }

    /** Whether any quota applies to {@code repository}. */
    public boolean covers(RepositoryName repository) {
        return !applying(repository).isEmpty();
    }

    /**
     * Why adding {@code blobs} and {@code manifests} (digest → size) to {@code repository} together
     * would pass a quota, or empty when it fits every quota that applies. What the quota's
     * repositories hold already adds nothing. Takes each applying quota's lock for the rest of the
     * session's transaction.
     */
    public Optional<String> refusal(MetadataSession session, RepositoryName repository, Map<Digest, Long> blobs,
                                    Map<Digest, Long> manifests) {
        for (Quota quota : applying(repository)) {
            session.quotas().lockQuota(quota.repositories().pattern());
            List<RepositoryName> covered = covered(session, quota);
            Optional<String> tooMany = repositoryCountRefusal(quota, covered, repository);
            if (tooMany.isPresent()) {
                return tooMany;
            }
            if (quota.maxBytes().isEmpty()) {
                continue;
            }
            List<String> added = new ArrayList<>();
            long adding = 0;
            for (Map.Entry<Digest, Long> blob : blobs.entrySet()) {
                if (!session.quotas().holdsBlob(covered, blob.getKey())) {
                    added.add("blob " + blob.getKey());
                    adding += blob.getValue();
                }
            }
            for (Map.Entry<Digest, Long> manifest : manifests.entrySet()) {
                if (!session.quotas().holdsManifest(covered, manifest.getKey())) {
                    added.add("manifest " + manifest.getKey());
                    adding += manifest.getValue();
                }
            }
            long limit = quota.maxBytes().getAsLong();
            long used = adding > 0 ? session.quotas().storedBytes(covered) : 0;
            if (adding > 0 && used + adding > limit) {
                String what = added.size() == 1 ? added.getFirst() + " adds " : added.size() + " new blobs and manifests add ";
                return Optional.of(quota.describe() + " allows at most " + limit + " bytes; " + used + " are in use and "
                        + what + adding);
            }
        }
        return Optional.empty();
    }

    private static void deny(String reason) {
        throw RegistryException.of(ErrorCode.DENIED, reason);
    }

    private List<Quota> applying(RepositoryName repository) {
        return quotas.stream().filter(quota -> quota.repositories().matches(repository.value())).toList();
    }

    private static List<RepositoryName> covered(MetadataSession session, Quota quota) {
        return session.quotas().repositoriesStartingWith(quota.literalPrefix()).stream()
                .filter(name -> quota.repositories().matches(name.value())).toList();
    }

    /** Checks the count of repositories, throwing; for {@link #checkRepository}. */
    private static void checkRepositoryCount(Quota quota, List<RepositoryName> covered, RepositoryName repository) {
        repositoryCountRefusal(quota, covered, repository).ifPresent(Quotas::deny);
    }

    private static Optional<String> repositoryCountRefusal(Quota quota, List<RepositoryName> covered, RepositoryName repository) {
        if (quota.maxRepositories().isEmpty() || covered.contains(repository)) {
            return Optional.empty();
        }
        long limit = quota.maxRepositories().getAsLong();
        if (covered.size() + 1L > limit) {
            return Optional.of(quota.describe() + " allows at most " + limit + " repositories and " + covered.size()
                    + " exist; " + repository + " would be one more");
        }
        return Optional.empty();
    }
}
