package io.berth.server;

import io.berth.http.HttpObserver;
import io.berth.metrics.BerthMetrics;

/** Hands what the HTTP layer reports to the metrics. */
final class MetricsObserver implements HttpObserver {
    private final BerthMetrics metrics;

    MetricsObserver(BerthMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void completed(String route, String method, int status, long durationNanos, long bytesReceived, long bytesSent) {
        metrics.requests().completed(route, method, status, durationNanos, bytesReceived, bytesSent);
    }

    @Override
    public void uploadStarted() {
        metrics.requests().uploadStarted();
    }

    @Override
    public void uploadEnded() {
        metrics.requests().uploadEnded();
    }

    @Override
    public void blobDownload(BlobSource source, String mirror) {
        switch (source) {
            case MIRROR -> metrics.downloads().fromMirror(mirror);
            case CDN -> metrics.downloads().fromCdn();
            case OBJECT_STORE -> metrics.downloads().fromObjectStore();
            case REGISTRY -> metrics.downloads().fromRegistry();
        }
    }

    @Override
    public void promotion(PromotionOutcome outcome) {
        switch (outcome) {
            case GRANTED -> metrics.promotions().granted();
            case OVERRIDDEN -> metrics.promotions().overridden();
            case REFUSED -> metrics.promotions().refused();
        }
    }
}
