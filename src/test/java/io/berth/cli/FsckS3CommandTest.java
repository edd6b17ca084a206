package io.berth.cli;

import static io.berth.cli.FsckCommandTest.fsck;
import static io.berth.cli.FsckCommandTest.pushImage;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.StorageConfig;
import io.berth.storage.BlobLayout;
import io.berth.testing.RegistryHttp;
import io.berth.testing.S3ProxyServer;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code berth fsck} over an S3 bucket (S3Proxy): a blob object whose bytes changed is found,
 * {@code --repair} copies it under {@code quarantine/} and deletes it, and the same content pushed
 * again is served intact.
 */
class FsckS3CommandTest {
    private static S3ProxyServer s3;

    @TempDir
    Path data;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void aChangedObjectIsFoundQuarantinedInTheBucketAndPushedAgain() throws Exception {
        StorageConfig storage = new StorageConfig(StorageConfig.S3, s3.endpoint().toString(), S3ProxyServer.REGION,
                S3ProxyServer.BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true, false);
        TestBlob layer = TestBlob.random(300_000, 11);
        Path config = data.resolve("berth.yml");
        Files.writeString(config, """
                data-dir: %s
                storage:
                  type: s3
                  endpoint: %s
                  bucket: %s
                  access-key: %s
                  secret-key: %s
                """.formatted(data, s3.endpoint(), S3ProxyServer.BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
        String key = BlobLayout.blobKey(layer.digest());
        try (TestRegistry registry = TestRegistry.startOn(data, registryConfig -> registryConfig.withStorage(storage))) {
            pushImage(registry.http(), "s3/app", layer);
            byte[] corrupted = layer.content().clone();
            corrupted[99] ^= 0x01;
            s3.client().putObject(builder -> builder.bucket(S3ProxyServer.BUCKET).key(key), RequestBody.fromBytes(corrupted));

            FsckCommandTest.Run check = fsck("--config", config.toString(), "--quiet");
            assertThat(check.status()).as(check.out()).isEqualTo(FsckCommand.PROBLEMS);
            assertThat(check.out()).contains("checking bucket " + S3ProxyServer.BUCKET)
                    .contains("PROBLEM corrupt blob: " + layer.digest());

            FsckCommandTest.Run repair = fsck("--config", config.toString(), "--repair", "--quiet");
            assertThat(repair.status()).as(repair.out()).isEqualTo(FsckCommand.PROBLEMS);
            assertThat(repair.out()).contains("quarantined to " + BlobLayout.quarantineKey(layer.digest(), 0));
            byte[] quarantined = s3.client().getObjectAsBytes(builder -> builder.bucket(S3ProxyServer.BUCKET)
                    .key(BlobLayout.quarantineKey(layer.digest(), 0))).asByteArray();
            assertThat(quarantined).isEqualTo(corrupted);

            RegistryHttp http = registry.http();
            assertThat(http.head("/v2/s3/app/blobs/" + layer.digest()).statusCode()).isEqualTo(404);
            http.pushBlob("s3/app", layer.content());
            HttpResponse<byte[]> served = http.get("/v2/s3/app/blobs/" + layer.digest());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(layer.content());

            FsckCommandTest.Run after = fsck("--config", config.toString(), "--quiet");
            assertThat(after.out()).doesNotContain("PROBLEM corrupt blob: " + layer.digest())
                    .doesNotContain("dangling reference: s3/app");
        }
    }
}
