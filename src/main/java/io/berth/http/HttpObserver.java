package io.berth.http;

/**
 * What the HTTP layer reports as requests end, for monitoring: plain calls with bounded values (a
 * route's name, never a path), so that no metrics library reaches this layer. Calls come from request
 * threads and must neither block nor throw.
 */
public interface HttpObserver {
    /** Reports nothing. */
    HttpObserver NONE = new HttpObserver() {
        @Override
        public void completed(String route, String method, int status, long durationNanos, long bytesReceived, long bytesSent) {
        }

        @Override
        public void uploadStarted() {
        }

        @Override
        public void uploadEnded() {
        }

        @Override
        public void blobDownload(BlobSource source, String mirror) {
        }

        @Override
        public void promotion(PromotionOutcome outcome) {
        }
    };

    /** Where a blob download's bytes come from. */
    enum BlobSource { MIRROR, CDN, OBJECT_STORE, REGISTRY }

    /** How a promotion request ended. */
    enum PromotionOutcome { GRANTED, OVERRIDDEN, REFUSED }

    /**
     * A request ended.
     *
     * @param route the route's name in {@link Routes#nameOf the route table}, e.g. {@code manifest}
     */
    void completed(String route, String method, int status, long durationNanos, long bytesReceived, long bytesSent);

    /** A request that sends blob bytes into an upload (POST with a digest, PATCH, PUT) began. */
    void uploadStarted();

    /** Such a request ended, however it ended. */
    void uploadEnded();

    /**
     * A blob {@code GET} was answered: redirected to a source, or served by Berth.
     *
     * @param mirror the mirror's name for {@link BlobSource#MIRROR}, else empty
     */
    void blobDownload(BlobSource source, String mirror);

    /** A promotion request ended. */
    void promotion(PromotionOutcome outcome);
}
