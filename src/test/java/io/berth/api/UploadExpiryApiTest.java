package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.UploadsConfig;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An upload session left idle past {@code uploads.expire-after-seconds} disappears with its staged
 * bytes; a client that comes back is told the session is unknown, as the spec's end-13 allows.
 */
class UploadExpiryApiTest {

    @Test
    void anAbandonedSessionExpiresWithItsBytesWhileAnActiveOneCompletes() throws Exception {
        try (TestRegistry registry = TestRegistry.start(config -> config.withUploads(new UploadsConfig(2L, 1L)))) {
            RegistryHttp http = registry.http();
            TestBlob blob = TestBlob.random(30_000, 7);
            String abandoned = http.post("/v2/expiry/blobs/uploads/").headers().firstValue("Location").orElseThrow();
            http.patch(abandoned, Arrays.copyOfRange(blob.content(), 0, 10_000), Map.of("Content-Range", "0-9999"));
            String active = http.post("/v2/expiry/blobs/uploads/").headers().firstValue("Location").orElseThrow();
            assertThat(stagedSessions(registry.dataDir())).hasSize(2);

            long deadline = System.nanoTime() + 15_000_000_000L;
            int offset = 0;
            HttpResponse<byte[]> status;
            do {
                // Keep the active session busy with a chunk every 500 ms, well inside the 2 s limit.
                int end = Math.min(offset + 1_000, blob.content().length);
                if (offset < end) {
                    assertThat(http.patch(active, Arrays.copyOfRange(blob.content(), offset, end),
                            Map.of("Content-Range", offset + "-" + (end - 1))).statusCode()).isEqualTo(202);
                    offset = end;
                }
                Thread.sleep(500);
                status = http.get(abandoned);
            } while (status.statusCode() == 204 && System.nanoTime() < deadline);

            assertThat(status.statusCode()).isEqualTo(404);
            assertThat(new String(status.body())).contains("BLOB_UPLOAD_UNKNOWN");
            assertThat(stagedSessions(registry.dataDir())).hasSize(1);
            assertThat(http.patch(active, Arrays.copyOfRange(blob.content(), offset, blob.content().length),
                    Map.of("Content-Range", offset + "-" + (blob.content().length - 1))).statusCode()).isEqualTo(202);
            assertThat(http.put(active + "?digest=" + blob.digest(), "application/octet-stream", new byte[0]).statusCode())
                    .isEqualTo(201);
            assertThat(http.get("/v2/expiry/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
            assertThat(stagedSessions(registry.dataDir())).isEmpty();
        }
    }

    private static java.util.List<Path> stagedSessions(Path dataDir) throws Exception {
        Path uploads = dataDir.resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return java.util.List.of();
        }
        try (Stream<Path> sessions = Files.list(uploads)) {
            return sessions.toList();
        }
    }
}
