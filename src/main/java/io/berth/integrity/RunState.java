package io.berth.integrity;

import java.util.Optional;

/** A check's position and what it found, carried from pass to pass and saved as a {@link Checkpoint}. */
final class RunState {
    String pass = Checkpoint.BLOB_PASS;
    Optional<String> after = Optional.empty();
    long blobsChecked;
    long bytesChecked;
    long mirrorChecked;
    Findings findings = new Findings();
    /** Items (blobs and mirror files) checked by this run, not counting those of earlier runs. */
    long itemsThisRun;
    long bytesThisRun;

    static RunState from(Checkpoint checkpoint) {
        RunState state = new RunState();
        state.pass = checkpoint.pass();
        state.after = checkpoint.after();
        state.blobsChecked = checkpoint.blobsChecked();
        state.bytesChecked = checkpoint.bytesChecked();
        state.mirrorChecked = checkpoint.mirrorChecked();
        state.findings = Findings.restore(checkpoint.counts(), checkpoint.bytes(), checkpoint.listed());
        return state;
    }

    Checkpoint checkpoint() {
        return new Checkpoint(pass, after, blobsChecked, bytesChecked, mirrorChecked, findings.counts(),
                findings.bytesByKind(), findings.listed());
    }
}
