package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/** The mirror catalogue, crawl results, and the mirror generations of the exported blob tree. */
public interface MirrorQueries {

    /** Every mirror, by name. */
    List<StoredMirror> listMirrors();

    /** Adds a mirror that was not there, never crawled; false when the name is taken. */
    boolean addMirror(MirrorRecord mirror);

    /**
     * Makes a configuration-file mirror's declaration {@code mirror}, adding it when new and keeping
     * its crawl state otherwise — unless its URL changed, which makes it stale until crawled again.
     * Its {@code enabled} flag is kept once stored, since the crawler and operators change it.
     */
    void putConfiguredMirror(MirrorRecord mirror);

    /** Removes configuration-file mirrors whose names are not in {@code keep}; returns how many. */
    int removeConfiguredMirrorsExcept(Set<String> keep);

    /** Removes a mirror; false when there was none. */
    boolean removeMirror(String name);

    /**
     * Enables or disables a mirror; enabling also forgets earlier failed crawls. False when there is
     * no such mirror.
     */
    boolean setMirrorEnabled(String name, boolean enabled);

    /** Records a good crawl: the mirror holds {@code generation}, is fresh, and has no failures. */
    void recordCrawlSuccess(String name, long generation, Instant at);

    /**
     * Records a failed crawl: the mirror is stale; after {@code disableAfter} failures in a row it is
     * disabled until an operator enables it again.
     */
    void recordCrawlFailure(String name, String error, Instant at, int disableAfter);

    /**
     * Takes the periodic-crawl lease for {@code holder} until {@code until}, when no other holder
     * has it past {@code now}; true when taken (or renewed).
     */
    boolean takeCrawlLease(String holder, Instant now, Instant until);

    /** The newest mirror generation, or empty before the first export. */
    OptionalLong latestMirrorGeneration();

    /**
     * Starts a new mirror generation holding every recorded blob that no generation holds yet and a
     * repository {@code inScope} accepts links. A blob no such repository links is left for a later
     * generation, when a repository in the export scope links it. The work is proportional to the
     * blobs no generation holds yet, not to every blob recorded.
     *
     * @return the new generation, or empty (and nothing changed) when no such blob is left
     */
    OptionalLong startMirrorGeneration(Instant at, Predicate<RepositoryName> inScope);

    /** Marks a generation published: the export has written every blob of it and its index. */
    void publishMirrorGeneration(long generation, Instant at);

    /** The newest published mirror generation, or empty before the first export finished. */
    OptionalLong latestPublishedMirrorGeneration();

    /** Every mirror generation, oldest first. */
    List<Long> mirrorGenerations();

    /** How many blobs {@code generation} holds, and their total size. */
    GenerationTotals generationTotals(long generation);

    /**
     * Up to {@code limit} blobs of {@code generation} in digest order, those after {@code after} when
     * given: a page of the generation, so that its blobs can be walked without holding them all.
     */
    List<GenerationBlob> blobsOfGeneration(long generation, Optional<Digest> after, int limit);

    /** Up to {@code count} blobs chosen at random among generations {@code from}..{@code to}. */
    List<GenerationBlob> sampleGenerationBlobs(long from, long to, int count);
}
