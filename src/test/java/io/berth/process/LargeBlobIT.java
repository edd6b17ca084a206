package io.berth.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.BerthProcess;
import io.berth.testing.GeneratedContent;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing large is held in memory: a 2 GiB blob is pushed (in chunks and as one PUT) and pulled
 * back intact while the server's heap is capped at 256 MiB.
 */
class LargeBlobIT {
    private static final long TWO_GIB = 2L * 1024 * 1024 * 1024;

    @Test
    void aTwoGibibyteBlobPushesAndPullsWithA256MibHeap() throws Exception {
        Path dataDir = Files.createTempDirectory("berth-large-");
        GeneratedContent content = new GeneratedContent(TWO_GIB, 42);
        Digest digest = content.digest();
        try (BerthProcess berth = BerthProcess.start(dataDir, List.of("-Xmx256m", "-XX:MaxDirectMemorySize=64m"))) {
            RegistryHttp http = berth.http();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            // Two chunks by PATCH, the rest streamed in the closing PUT.
            String location = http.post("/v2/large/blob/blobs/uploads/").headers().firstValue("Location").orElseThrow();
            long half = TWO_GIB / 2;
            long quarter = TWO_GIB / 4;
            HttpResponse<byte[]> first = send(client, http.request(location).header("Content-Range", "0-" + (quarter - 1))
                    .method("PATCH", streaming(content, 0, quarter)).build());
            assertThat(first.statusCode()).as(RegistryHttp.text(first)).isEqualTo(202);
            HttpResponse<byte[]> second = send(client, http.request(location)
                    .header("Content-Range", quarter + "-" + (half - 1))
                    .method("PATCH", streaming(content, quarter, half - quarter)).build());
            assertThat(second.headers().firstValue("Range")).hasValue("0-" + (half - 1));
            HttpResponse<byte[]> closed = send(client, http.request(location + "?digest=" + digest)
                    .PUT(streaming(content, half, TWO_GIB - half)).build());
            assertThat(closed.statusCode()).as(RegistryHttp.text(closed)).isEqualTo(201);

            HttpResponse<InputStream> pulled = client.send(http.request("/v2/large/blob/blobs/" + digest).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(pulled.headers().firstValueAsLong("Content-Length")).hasValue(TWO_GIB);
            assertThat(hashOf(pulled.body())).isEqualTo(digest);
            assertThat(berth.process().isAlive()).as(berth.output()).isTrue();
        } finally {
            TestRegistry.deleteRecursively(dataDir);
        }
    }

    private static HttpRequest.BodyPublisher streaming(GeneratedContent content, long offset, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> content.stream(offset, length)), length);
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Digest hashOf(InputStream stream) throws Exception {
        MessageDigest hash = DigestAlgorithm.SHA256.newMessageDigest();
        byte[] buffer = new byte[1024 * 1024];
        try (stream) {
            int read;
            while ((read = stream.read(buffer)) >= 0) {
                hash.update(buffer, 0, read);
            }
        }
        return Digest.fromHash(DigestAlgorithm.SHA256, hash.digest());
    }
}
