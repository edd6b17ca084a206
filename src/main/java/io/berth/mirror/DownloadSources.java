package io.berth.mirror;

import io.berth.oci.Digest;
import java.net.InetAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Where a client should download a blob's bytes from: the best mirror holding the blob, else the
 * CDN in front of the mirror tree, else nowhere else (Berth serves the bytes itself). Decisions use
 * the current {@link MirrorSnapshot} only, which the crawler replaces, and this node's
 * {@link SourceHealth}, which its probes keep: a mirror or CDN found unreachable is skipped, and the
 * next choice takes its place. Nothing here waits on I/O.
 */
public final class DownloadSources {
    private final Geolocator geolocator;
    private final Optional<URI> cdnBase;
    private final Supplier<RandomGenerator> random;
    private final SourceHealth health;
    private final AtomicReference<MirrorSnapshot> snapshot = new AtomicReference<>(MirrorSnapshot.empty());

    /**
     * @param cdnBase the URL under which a CDN serves the mirror tree ({@link SyncIndex#blobPath})
     */
    public DownloadSources(Geolocator geolocator, Optional<URI> cdnBase, SourceHealth health, Supplier<RandomGenerator> random) {
        this.geolocator = geolocator;
        this.cdnBase = cdnBase.map(Mirror::normalizedBase);
        this.health = health;
        this.random = random;
    }

    /** Sources without probes: every one counts as reachable. */
    public DownloadSources(Geolocator geolocator, Optional<URI> cdnBase, Supplier<RandomGenerator> random) {
        this(geolocator, cdnBase, SourceHealth.unprobed(), random);
    }

    public DownloadSources(Geolocator geolocator, Optional<URI> cdnBase, SourceHealth health) {
        this(geolocator, cdnBase, health, ThreadLocalRandom::current);
    }

    /** Sources without probes: every one counts as reachable (as for {@code berth mirror crawl}). */
    public DownloadSources(Geolocator geolocator, Optional<URI> cdnBase) {
        this(geolocator, cdnBase, SourceHealth.unprobed(), ThreadLocalRandom::current);
    }

    /** The kind of source a decision picked. */
    public enum Kind { MIRROR, CDN, REGISTRY }

    /**
     * A decision with its reasons, as the admin endpoint shows it.
     *
     * @param candidates  every reachable mirror that could serve the client, best first
     * @param unreachable the mirrors that could serve the client but that this node's probes found unreachable
     */
    public record Decision(ClientLocation client, Kind kind, Optional<URI> location, Optional<Mirror> mirror,
                           List<MirrorSelector.Candidate> candidates, List<MirrorSelector.Candidate> unreachable) {
    }

    public void replace(MirrorSnapshot next) {
        snapshot.set(next);
    }

    public MirrorSnapshot snapshot() {
        return snapshot.get();
    }

    public SourceHealth health() {
        return health;
    }

    /** The base URL of the CDN's copy of the tree, when one is configured. */
    public Optional<URI> cdnBase() {
        return cdnBase;
    }

    /** The sources clients may be sent to now, each by its base URL: the usable mirrors and the CDN. */
    public Set<URI> sourcesInUse() {
        Set<URI> sources = new HashSet<>();
        for (MirrorStatus status : snapshot.get().statuses()) {
            if (status.usable()) {
                sources.add(status.mirror().baseUri());
            }
        }
        cdnBase.ifPresent(sources::add);
        return sources;
    }

    /**
     * Where {@code client} should fetch {@code digest}; empty when Berth should serve it.
     *
     * @param generation the mirror generation that exported the blob; empty when none has, and
     *                   then neither a mirror nor the CDN can have it
     */
    public Optional<URI> sourceFor(InetAddress client, Digest digest, OptionalLong generation) {
        return choiceFor(client, digest, generation).map(Choice::location);
    }

    /**
     * Where a download goes, and which source that is.
     *
     * @param mirror the chosen mirror's name; empty when the CDN was chosen
     */
    public record Choice(URI location, Optional<String> mirror) {
    }

    /** The same decision as {@link #sourceFor}, saying which mirror, or the CDN, it chose. */
    public Optional<Choice> choiceFor(InetAddress client, Digest digest, OptionalLong generation) {
        if (generation.isEmpty()) {
            return Optional.empty();
        }
        MirrorSnapshot current = snapshot.get();
        Optional<Mirror> mirror = current.selector().choose(locate(client), generation.getAsLong(), random.get(),
                candidate -> health.reachable(candidate.baseUri()));
        if (mirror.isPresent()) {
            health.chosen(mirror.get().baseUri());
            return Optional.of(new Choice(mirror.get().blobUri(digest), Optional.of(mirror.get().name())));
        }
        Optional<URI> cdn = cdnFor(current, digest, generation.getAsLong());
        if (cdn.isPresent()) {
            health.chosen(cdnBase.orElseThrow());
        }
        return cdn.map(location -> new Choice(location, Optional.empty()));
    }

    /** The same decision as {@link #sourceFor}, with every candidate and the client's location. */
    public Decision explain(InetAddress client, Digest digest, OptionalLong generation) {
        ClientLocation location = locate(client);
        if (generation.isEmpty()) {
            return new Decision(location, Kind.REGISTRY, Optional.empty(), Optional.empty(), List.of(), List.of());
        }
        MirrorSnapshot current = snapshot.get();
        List<MirrorSelector.Candidate> candidates = current.selector().rank(location, generation.getAsLong(), random.get(),
                candidate -> health.reachable(candidate.baseUri()));
        List<MirrorSelector.Candidate> unreachable = current.selector().rank(location, generation.getAsLong(), random.get(),
                candidate -> !health.reachable(candidate.baseUri()));
        if (!candidates.isEmpty()) {
            Mirror first = candidates.getFirst().mirror();
            return new Decision(location, Kind.MIRROR, Optional.of(first.blobUri(digest)), Optional.of(first), candidates,
                    unreachable);
        }
        Optional<URI> cdn = cdnFor(current, digest, generation.getAsLong());
        return new Decision(location, cdn.isPresent() ? Kind.CDN : Kind.REGISTRY, cdn, Optional.empty(), candidates,
                unreachable);
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
        if (cdnBase.isEmpty() || current.publishedGeneration().orElse(0) < generation || !health.reachable(cdnBase.get())) {
            return Optional.empty();
        }
        return Optional.of(cdnBase.get().resolve(SyncIndex.blobPath(digest)));
    }
}
