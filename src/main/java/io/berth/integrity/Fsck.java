package io.berth.integrity;

import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobInventory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code berth fsck}: checks that every blob the store holds matches its digest, that everything
 * the metadata records is stored, that manifests point only at content their repository holds, and
 * that the mirror tree holds the right bytes; with repair, takes bad blobs out of service so that
 * clients push them again (see {@code docs/operations.md}, "Checking storage: berth fsck").
 *
 * <p>The passes run in order — blobs, then the mirror tree, then references — and the first two,
 * which read every byte, walk in digest order and save a {@link Checkpoint} at least every
 * {@link #CHECKPOINT_INTERVAL} and when they stop early, so that a run that is interrupted or told
 * to stop is continued by the next run. A complete run removes the checkpoint.
 */
public final class Fsck {
    /** A run killed without warning repeats at most about this much work. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    private final MetadataStore metadata;
    private final BlobInventory store;
    private final Checkpoint.Store checkpoints;
    private final ByteRate rate;
    private final Clock clock;

    public Fsck(MetadataStore metadata, BlobInventory store, Checkpoint.Store checkpoints, ByteRate rate, Clock clock) {
        this.metadata = metadata;
        this.store = store;
        this.checkpoints = checkpoints;
        this.rate = rate;
        this.clock = clock;
    }

    /**
     * What to do.
     *
     * @param repair     quarantine bad blobs and make the metadata forget what the store does not hold intact
     * @param stopAfter  check at most this many blobs and mirror files in this run, then save the checkpoint and stop
     * @param mirrorTree the directory {@code berth mirror export} writes, to check as well
     */
    public record Options(boolean repair, OptionalLong stopAfter, Optional<Path> mirrorTree) {
        public Options {
            if (stopAfter.isPresent() && stopAfter.getAsLong() < 1) {
                throw new IllegalArgumentException("stop after at least one blob");
            }
        }
    }

    /**
     * What a run found and did.
     *
     * @param findings     everything found, by this run and the runs it continued
     * @param blobsChecked blobs (and recorded digests) the blob pass went through, over all runs
     * @param bytesChecked bytes the blob pass read, over all runs
     * @param mirrorFilesChecked mirror-tree files checked, over all runs
     * @param itemsThisRun blobs and mirror files this run checked
     * @param bytesThisRun bytes this run read
     * @param resumedAfter where this run continued an earlier one: the pass and the last digest it had finished
     * @param complete     false when the run stopped early; the next run continues
     */
    public record Report(Findings findings, long blobsChecked, long bytesChecked, long mirrorFilesChecked,
                         long itemsThisRun, long bytesThisRun, Optional<String> resumedAfter, boolean complete) {
    }

    /** Runs the check, continuing from the saved checkpoint when there is one. */
    public Report run(Options options, CheckProgress progress) throws IOException, InterruptedException {
        Optional<Checkpoint> saved = checkpoints.load();
        RunState state = saved.map(RunState::from).orElseGet(RunState::new);
        Optional<String> resumedAfter = saved.map(checkpoint -> checkpoint.pass() + " pass after "
                + checkpoint.after().orElse("the start"));
        Pacing pacing = new Pacing(options.stopAfter());
        ContentHasher hasher = new ContentHasher(rate);
        boolean complete;
        try {
            complete = passes(options, progress, state, pacing, hasher);
        } catch (IOException | RuntimeException | InterruptedException e) {
            checkpoints.save(state.checkpoint());
            throw e;
        }
        if (complete) {
            new ReferencePass(metadata).run(state);
            checkpoints.clear();
        } else {
            checkpoints.save(state.checkpoint());
        }
        return new Report(state.findings, state.blobsChecked, state.bytesChecked, state.mirrorChecked,
                state.itemsThisRun, state.bytesThisRun, resumedAfter, complete);
    }

    private boolean passes(Options options, CheckProgress progress, RunState state, Pacing pacing, ContentHasher hasher)
            throws IOException, InterruptedException {
        if (state.pass.equals(Checkpoint.BLOB_PASS)) {
            if (!new BlobPass(metadata, store, hasher, options.repair()).run(state, pacing, progress)) {
                return false;
            }
            state.pass = Checkpoint.MIRROR_PASS;
            state.after = Optional.empty();
        }
        if (options.mirrorTree().isPresent()) {
            return new MirrorTreePass(store, hasher, options.repair(), options.mirrorTree().get()).run(state, pacing, progress);
        }
        return true;
    }

    /** When a pass saves a checkpoint, and when it stops early. */
    final class Pacing {
        private final OptionalLong stopAfter;
        private Instant lastSaved = clock.instant();

        Pacing(OptionalLong stopAfter) {
            this.stopAfter = stopAfter;
        }

        boolean shouldStop(RunState state) {
            return stopAfter.isPresent() && state.itemsThisRun >= stopAfter.getAsLong();
        }

        void checkpointIfDue(RunState state) {
            Instant now = clock.instant();
            if (!now.isBefore(lastSaved.plus(CHECKPOINT_INTERVAL))) {
                checkpoints.save(state.checkpoint());
                lastSaved = now;
            }
        }
    }
}
