package io.berth.registry;

import io.berth.metadata.LinkedBlob;
import io.berth.metadata.MetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.storage.BlobStore;
import io.berth.storage.LocalBlobFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reading and deleting blobs through a repository. A blob is visible through a repository only
 * while the repository links it (OCI Distribution Spec, "Pulling blobs", "Deleting Blobs").
 */
public final class BlobService {
    /** How long a download link handed to a client stays valid. */
    static final java.time.Duration DOWNLOAD_LINK_VALIDITY = java.time.Duration.ofMinutes(5);

    private final Quotas quotas;
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration linkRefresh;

    /**
     * @param gcGrace how long garbage collection leaves an unreferenced link alone after it was last
     *                confirmed; a read confirms a link older than a quarter of it, so a client that has
     *                just seen a blob has at least three quarters of the grace to push a manifest using it
     */
    public BlobService(MetadataStore metadata, BlobStore blobs, Clock clock, Duration gcGrace) {
        this(metadata, blobs, clock, gcGrace, Quotas.NONE);
    }

    /** @param quotas checked, inside the transaction that links it, before a blob is mounted */
    public BlobService(MetadataStore metadata, BlobStore blobs, Clock clock, Duration gcGrace, Quotas quotas) {
        this.quotas = quotas;
        this.metadata = metadata;
        this.blobs = blobs;
        this.clock = clock;
        this.linkRefresh = gcGrace.dividedBy(4);
    }

    /**
     * Where the client should fetch the bytes of a blob {@link #stat} returned, instead of from
     * Berth: a presigned object-store URL when the store offers them. Empty means serve directly.
     */
    public Optional<java.net.URI> redirectFor(BlobInfo blob) {
        if (blobs instanceof io.berth.storage.BlobDownloadLinks links) {
            return links.downloadLink(blob.digest(), DOWNLOAD_LINK_VALIDITY);
        }
        return Optional.empty();
    }

    /**
     * The blob as {@code repository} sees it.
     *
     * @throws RegistryException {@code BLOB_UNKNOWN} when the repository does not link it
     */
    public BlobInfo stat(RepositoryName repository, Digest digest) {
        LinkedBlob linked = metadata.read(session -> session.linkedBlob(repository, digest))
                .orElseThrow(() -> RegistryException.of(ErrorCode.BLOB_UNKNOWN,
                        "blob " + digest + " is not in repository " + repository));
        confirm(repository, digest, linked);
        return new BlobInfo(digest, linked.size(), linked.mirrorGeneration());
    }

    /**
     * Restarts the link's grace when it is older than {@link #linkRefresh}: at most one write per link
     * per refresh. When the link went meanwhile (garbage collection had found it unconfirmed for the
     * whole grace), the blob is unknown: a client is never told a blob is there that may not be.
     */
    private void confirm(RepositoryName repository, Digest digest, LinkedBlob linked) {
        Instant now = clock.instant();
        if (linked.linkedAt().isBefore(now.minus(linkRefresh))) {
            boolean still = metadata.inTransaction(session -> session.gc().touchLink(linked.repositoryId(), digest, now));
            if (!still) {
                throw RegistryException.of(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repository);
            }
        }
    }

    /** A local file holding the blob, when the store keeps blobs as files. */
    public Optional<Path> localFile(BlobInfo blob) {
        if (blobs instanceof LocalBlobFiles files) {
            return files.localFile(blob.digest());
        }
        return Optional.empty();
    }

    /** Opens {@code length} bytes from {@code offset} of a blob returned by {@link #stat}. */
    public InputStream open(BlobInfo blob, long offset, long length) {
        try {
            return blobs.open(blob.digest(), offset, length);
        } catch (IOException e) {
            throw new StorageFailure("cannot read blob " + blob.digest(), e);
        }
    }

    /**
     * Unlinks the blob from {@code repository} only; other repositories keep it, and the bytes stay
     * until garbage collection finds no link.
     */
    public void delete(RepositoryName repository, Digest digest) {
        boolean removed = metadata.inTransaction(session -> session.unlinkBlob(repository, digest));
        if (!removed) {
            throw RegistryException.of(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repository);
        }
    }

    /**
     * Cross-repository mount (end-11): links a blob that {@code from} links — or, without
     * {@code from}, any verified blob — into {@code repository}.
     *
     * @return the mounted blob, or empty when it cannot be mounted and an upload must follow
     * @throws RegistryException {@code DENIED} (403) when the blob would pass a quota; nothing is linked
     */
    public Optional<BlobInfo> mount(RepositoryName repository, Digest digest, Optional<RepositoryName> from) {
        // The source's link is only read, never locked: two mounts of one blob in opposite directions
        // would each hold the link the other is about to confirm. What keeps the blob while it is
        // linked is its record, share-locked below (docs/architecture.md, "Lock order").
        if (from.isPresent() && metadata.read(session -> session.linkedBlobSize(from.get(), digest)).isEmpty()) {
            return Optional.empty();
        }
        return metadata.inTransaction(session -> {
            OptionalLong size = session.blobSize(digest);
            if (size.isEmpty()) {
                return Optional.empty();
            }
            quotas.checkBlob(session, repository, digest, size.getAsLong());
            session.linkBlob(repository, digest);
            return Optional.of(new BlobInfo(digest, size.getAsLong()));
        });
    }
}
