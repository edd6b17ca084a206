package io.berth.mirror;

import io.berth.oci.Digest;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.function.Supplier;

/**
 * Where a client should download a blob's bytes from: the best mirror holding the blob, else the
 * CDN in front of the mirror tree, else nowhere else (Berth serves the bytes itself). Decisions use
 * the current {@link MirrorSnapshot} only, which the crawler replaces; nothing here waits on I/O.
 */
public final class DownloadSources {
    private final Geolocator geolocator;
    private final Optional<URI> cdnBase;
    private final Supplier<RandomGenerator> random;
    private final AtomicReference<MirrorSnapshot> snapshot = new AtomicReference<>(MirrorSnapshot.empty());

    /**
     * @param cdnBase the URL under which a CDN serves the mirror tree ({@link SyncIndex#blobPath})
     */
    public DownloadSources(Geolocator geolocator, Optional<URI> cdnBase, Supplier<RandomGenerator> random) {
        this.geolocator = geolocator;
        this.cdnBase = cdnBase.map(Mirror::normalizedBase);
        this.random = random;
    }

    public DownloadSources(Geolocator geolocator, Optional<URI> cdnBase) {
        this(geolocator, cdnBase, ThreadLocalRandom::current);
    }

    /** The kind of source a decision picked. */
    public enum Kind { MIRROR, CDN, REGISTRY }

    /**
     * A decision with its reasons, as the admin endpoint shows it.
     *
     * @param candidates every mirror that could serve the client, best first
     */
    public record Decision(ClientLocation client, Kind kind, Optional<URI> location, Optional<Mirror> mirror,
                           List<MirrorSelector.Candidate> candidates) {
    }

    public void replace(MirrorSnapshot next) {
        snapshot.set(next);
    }

    public MirrorSnapshot snapshot() {
        return snapshot.get();
    }

    /**
     * Where {@code client} should fetch {@code digest}; empty when Berth should serve it.
     *
     * @param generation the mirror generation that exported the blob; empty when none has, and
     *                   then neither a mirror nor the CDN can have it
     */
    public Optional<URI> sourceFor(InetAddress client, Digest digest, OptionalLong generation) {
        if (generation.isEmpty()) {
            return Optional.empty();
        }
        MirrorSnapshot current = snapshot.get();
        Optional<Mirror> mirror = current.selector().choose(locate(client), generation.getAsLong(), random.get());
        if (mirror.isPresent()) {
            return Optional.of(mirror.get().blobUri(digest));
        }
        return cdnFor(current, digest, generation.getAsLong());
    }

    /** The same decision as {@link #sourceFor}, with every candidate and the client's location. */
    public Decision explain(InetAddress client, Digest digest, OptionalLong generation) {
        ClientLocation location = locate(client);
        if (generation.isEmpty()) {
            return new Decision(location, Kind.REGISTRY, Optional.empty(), Optional.empty(), List.of());
        }
        MirrorSnapshot current = snapshot.get();
        List<MirrorSelector.Candidate> candidates = current.selector().rank(location, generation.getAsLong(), random.get());
        if (!candidates.isEmpty()) {
            Mirror first = candidates.getFirst().mirror();
            return new Decision(location, Kind.MIRROR, Optional.of(first.blobUri(digest)), Optional.of(first), candidates);
        }
        Optional<URI> cdn = cdnFor(current, digest, generation.getAsLong());
        return new Decision(location, cdn.isPresent() ? Kind.CDN : Kind.REGISTRY, cdn, Optional.empty(), candidates);
    }

    /** The client's location; a database that fails to answer places it nowhere rather than failing the download. */
    private ClientLocation locate(InetAddress client) {
        try {
            return geolocator.locate(client);
        } catch (RuntimeException e) {
            return ClientLocation.unknown(client);
        }
    }

    private Optional<URI> cdnFor(MirrorSnapshot current, Digest digest, long generation) {
        if (cdnBase.isEmpty() || current.publishedGeneration().orElse(0) < generation) {
            return Optional.empty();
        }
        return Optional.of(cdnBase.get().resolve(SyncIndex.blobPath(digest)));
    }
}
