package io.berth.integrity;

/** Told how far a check is, to draw a progress bar or print progress lines. */
public interface CheckProgress {

    /** A pass starts: about {@code items} files or blobs of about {@code bytes} bytes lie ahead (estimates). */
    void started(String pass, long items, long bytes);

    /** One more item was checked, {@code bytes} of it read. */
    void advanced(long bytes);

    /** The pass ended. */
    void finished();

    /** Reports nothing. */
    static CheckProgress silent() {
        return new CheckProgress() {
            @Override
            public void started(String pass, long items, long bytes) {
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
