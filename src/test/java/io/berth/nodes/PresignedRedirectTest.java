package io.berth.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.StorageConfig;
import io.berth.testing.RegistryHttp;
import io.berth.testing.S3ProxyServer;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code storage.presigned-redirects}, a blob GET is answered with a 302 to a presigned URL of
 * the object store (S3Proxy here), which serves the bytes, ranges included; HEAD and manifests are
 * still answered by Berth itself.
 */
class PresignedRedirectTest {
    private static S3ProxyServer s3;
    private static TestRegistry registry;
    private static RegistryHttp http;
    private static final HttpClient DIRECT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
        StorageConfig storage = new StorageConfig(StorageConfig.S3, s3.endpoint().toString(), S3ProxyServer.REGION,
                S3ProxyServer.BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true, true);
        registry = TestRegistry.start(config -> config.withStorage(storage)
                .withMetrics(new io.berth.config.MetricsConfig("off", true, java.util.List.of())));
        http = registry.http();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        s3.close();
    }

    @Test
    void blobGetsRedirectToTheObjectStoreWhichServesTheBytes() throws Exception {
        TestBlob blob = TestBlob.random(200_000, 3);
        http.pushBlob("presigned/app", blob.content());

        HttpResponse<byte[]> get = http.get("/v2/presigned/app/blobs/" + blob.digest());

        assertThat(get.statusCode()).isEqualTo(302);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(blob.digest().toString());
        URI location = URI.create(get.headers().firstValue("Location").orElseThrow());
        assertThat(location.getPort()).isEqualTo(s3.endpoint().getPort());
        HttpResponse<byte[]> fromStore = DIRECT.send(HttpRequest.newBuilder(location).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fromStore.statusCode()).isEqualTo(200);
        assertThat(fromStore.body()).isEqualTo(blob.content());
        HttpResponse<byte[]> range = DIRECT.send(HttpRequest.newBuilder(location).header("Range", "bytes=10-19").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(blob.content(), 10, 20));
    }

    @Test
    void theMetricsCountRedirectsToTheObjectStoreAndNotHeads() {
        TestBlob blob = TestBlob.random(2000, 5);
        http.pushBlob("presigned/metrics", blob.content());
        double before = objectStoreDownloads();

        assertThat(http.get("/v2/presigned/metrics/blobs/" + blob.digest()).statusCode()).isEqualTo(302);
        assertThat(http.head("/v2/presigned/metrics/blobs/" + blob.digest()).statusCode()).isEqualTo(200);

        assertThat(objectStoreDownloads()).isEqualTo(before + 1);
    }

    private static double objectStoreDownloads() {
        return io.berth.testing.PrometheusText.parse(RegistryHttp.text(http.get("/metrics")))
                .value("berth_blob_downloads_total", java.util.Map.of("source", "object-store")).orElseThrow();
    }

    @Test
    void headAndUnknownBlobsAreAnsweredByBerth() {
        TestBlob blob = TestBlob.random(1000, 4);
        http.pushBlob("presigned/head", blob.content());

        HttpResponse<byte[]> head = http.head("/v2/presigned/head/blobs/" + blob.digest());
        HttpResponse<byte[]> unknown = http.get("/v2/presigned/head/blobs/" + TestBlob.of("absent").digest());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("1000");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
