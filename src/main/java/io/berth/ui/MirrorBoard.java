package io.berth.ui;

import io.berth.mirror.DownloadSources;
import io.berth.mirror.ExportScope;
import io.berth.mirror.MirrorSnapshot;
import io.berth.mirror.MirrorStatus;
import io.berth.mirror.Netblock;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.registry.BlobInfo;
import io.berth.registry.BlobService;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** What the mirror page shows, read from this node's snapshot of the catalogue and its probes. */
public final class MirrorBoard {
    private final DownloadSources sources;
    private final ExportScope scope;
    private final BlobService blobs;

    public MirrorBoard(DownloadSources sources, ExportScope scope, BlobService blobs) {
        this.sources = sources;
        this.scope = scope;
        this.blobs = blobs;
    }

    /** Every mirror, private ones only when {@code showPrivate}, and the CDN. */
    public MirrorOverview overview(boolean showPrivate) {
        MirrorSnapshot snapshot = sources.snapshot();
        List<MirrorRow> rows = new ArrayList<>();
        for (MirrorStatus status : snapshot.statuses()) {
            if (showPrivate || !status.mirror().privateMirror()) {
                rows.add(new MirrorRow(status, sources.health().state(status.mirror().baseUri())));
            }
        }
        return new MirrorOverview(snapshot.publishedGeneration(), snapshot.readAt(),
                sources.cdnBase().map(cdn -> new MirrorOverview.Cdn(cdn, sources.health().state(cdn))), rows);
    }

    /**
     * Where a client at {@code address} would be sent for the blob, decided as a blob {@code GET}
     * decides it; the blob must be in the repository.
     *
     * @throws RegistryException {@code NAME_INVALID}, {@code DIGEST_INVALID}, {@code BLOB_UNKNOWN}, or
     *                           {@code UNSUPPORTED} (400) for an address that is not a numeric IP address
     */
    public MirrorChoice choice(String address, String repository, String digest) {
        InetAddress client = Netblock.literal(address.strip()).orElseThrow(() -> RegistryException.withStatus(
                ErrorCode.UNSUPPORTED, 400, "the client must be a numeric IP address"));
        RepositoryName name = RepositoryName.parse(repository.strip());
        BlobInfo blob = blobs.stat(name, Digest.parse(digest.strip()));
        boolean exported = scope.includes(name);
        DownloadSources.Decision decision = sources.explain(client, blob.digest(),
                exported ? blob.mirrorGeneration() : OptionalLong.empty());
        return new MirrorChoice(client.getHostAddress(), name, blob.digest(), exported, decision);
    }
}
