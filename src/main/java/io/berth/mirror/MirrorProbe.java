package io.berth.mirror;

import io.berth.metadata.GenerationBlob;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Asks one mirror over HTTP what it holds: reads its copy of the sync index's current generation,
 * and checks with {@code HEAD} that sample blobs are there with the right size.
 */
final class MirrorProbe {
    private final HttpClient http;
    private final Duration timeout;

    MirrorProbe(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Thrown when the mirror does not answer as a complete copy of the tree would. */
    static final class MirrorFault extends Exception {
        MirrorFault(String message) {
            super(message);
        }
    }

    /** The generation {@code mirror}'s sync index states. */
    long generation(Mirror mirror) throws MirrorFault, InterruptedException {
        URI uri = mirror.generationUri();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new MirrorFault("GET " + uri + " answered " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(SyncIndex.MAX_GENERATION_FILE_BYTES + 1);
                OptionalLong generation = bytes.length > SyncIndex.MAX_GENERATION_FILE_BYTES
                        ? OptionalLong.empty()
                        : SyncIndex.parseGeneration(new String(bytes, StandardCharsets.US_ASCII));
                return generation.orElseThrow(() -> new MirrorFault(uri + " does not hold a generation number"));
            }
        } catch (IOException e) {
            throw new MirrorFault("GET " + uri + " failed: " + describe(e));
        }
    }

    /** Checks that each blob is on the mirror with its size. */
    void checkBlobs(Mirror mirror, List<GenerationBlob> samples) throws MirrorFault, InterruptedException {
        for (GenerationBlob blob : samples) {
            URI uri = mirror.blobUri(blob.digest());
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    throw new MirrorFault("HEAD " + uri + " answered " + response.statusCode());
                }
                OptionalLong length = response.headers().firstValueAsLong("Content-Length");
                if (length.isEmpty() || length.getAsLong() != blob.size()) {
                    throw new MirrorFault("HEAD " + uri + " gives size " + (length.isEmpty() ? "none" : length.getAsLong())
                            + ", not " + blob.size());
                }
            } catch (IOException e) {
                throw new MirrorFault("HEAD " + uri + " failed: " + describe(e));
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
