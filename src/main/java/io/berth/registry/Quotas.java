package io.berth.registry;

import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import java.util.ArrayList;
import java.util.List;

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
        for (Quota quota : applying(repository)) {
            session.quotas().lockQuota(quota.repositories().pattern());
            List<RepositoryName> covered = covered(session, quota);
            checkRepositoryCount(quota, covered, repository);
            if (quota.maxBytes().isPresent() && !session.quotas().holdsBlob(covered, digest)) {
                checkBytes(quota, session.quotas().storedBytes(covered), size, "blob " + digest);
            }
        }
    }

    /** Refuses when storing the manifest {@code digest} of {@code size} bytes in {@code repository} would pass a quota. */
    public void checkManifest(MetadataSession session, RepositoryName repository, Digest digest, long size) {
        for (Quota quota : applying(repository)) {
            session.quotas().lockQuota(quota.repositories().pattern());
            List<RepositoryName> covered = covered(session, quota);
            checkRepositoryCount(quota, covered, repository);
            if (quota.maxBytes().isPresent() && !session.quotas().holdsManifest(covered, digest)) {
                checkBytes(quota, session.quotas().storedBytes(covered), size, "manifest " + digest);
            }
        }
    }

    private List<Quota> applying(RepositoryName repository) {
        return quotas.stream().filter(quota -> quota.repositories().matches(repository.value())).toList();
    }

    private static List<RepositoryName> covered(MetadataSession session, Quota quota) {
        return session.quotas().repositoriesStartingWith(quota.literalPrefix()).stream()
                .filter(name -> quota.repositories().matches(name.value())).toList();
    }

    private static void checkRepositoryCount(Quota quota, List<RepositoryName> covered, RepositoryName repository) {
        if (quota.maxRepositories().isEmpty() || covered.contains(repository)) {
            return;
        }
        long limit = quota.maxRepositories().getAsLong();
        if (covered.size() + 1L > limit) {
            throw RegistryException.of(ErrorCode.DENIED, quota.describe() + " allows at most " + limit
                    + " repositories and " + covered.size() + " exist; " + repository + " would be one more");
        }
    }

    private static void checkBytes(Quota quota, long used, long adding, String what) {
        long limit = quota.maxBytes().getAsLong();
        if (adding > 0 && used + adding > limit) {
            throw RegistryException.of(ErrorCode.DENIED, quota.describe() + " allows at most " + limit + " bytes; "
                    + used + " are in use and " + what + " adds " + adding);
        }
    }
}
