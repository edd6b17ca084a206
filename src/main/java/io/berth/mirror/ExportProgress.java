package io.berth.mirror;

/** Told how a {@link MirrorExport} advances, for a progress bar. Called from the exporting thread only. */
public interface ExportProgress {

    /** The export is about to bring {@code blobs} blobs of {@code bytes} bytes in total into the tree. */
    void started(long blobs, long bytes);

    /** One more blob of {@code bytes} bytes is in the tree (written, linked, or found already there). */
    void advanced(long bytes);

    void finished();

    static ExportProgress silent() {
        return new ExportProgress() {
            @Override
            public void started(long blobs, long bytes) {
            }

            @Override
            public void advanced(long bytes) {
            }

            @Override
            public void finished() {
            }
        };
    }
}
