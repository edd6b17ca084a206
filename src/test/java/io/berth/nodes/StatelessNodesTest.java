package io.berth.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.BerthConfig;
import io.berth.config.DatabaseConfig;
import io.berth.config.StorageConfig;
import io.berth.oci.MediaTypes;
import io.berth.server.BerthServer;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.S3ProxyServer;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two stateless Berth nodes sharing one PostgreSQL schema and one S3 bucket (S3Proxy), each with a
 * data directory of its own, behave as one registry:
 * an upload started on one node continues and completes on the other, what one node writes the
 * other serves, and concurrent tag moves from both nodes leave one consistent answer. Needs the
 * PostgreSQL server of {@code BERTH_TEST_POSTGRES_URL} (default 127.0.0.1:5432/test).
 */
class StatelessNodesTest {
    private static final String URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");

    private final String schema = "berth_nodes_" + UUID.randomUUID().toString().replace("-", "");
    private Path firstDataDir;
    private Path secondDataDir;
    private S3ProxyServer s3;
    private BerthServer first;
    private BerthServer second;
    private RegistryHttp one;
    private RegistryHttp two;

    @BeforeEach
    void startTwoNodes() throws Exception {
        firstDataDir = Files.createTempDirectory("berth-node-a-");
        secondDataDir = Files.createTempDirectory("berth-node-b-");
        s3 = S3ProxyServer.start();
        StorageConfig storage = new StorageConfig(StorageConfig.S3, s3.endpoint().toString(), S3ProxyServer.REGION,
                S3ProxyServer.BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true, false);
        DatabaseConfig database = new DatabaseConfig(URL, USER, PASSWORD, schema, 4);
        first = BerthServer.start(new BerthConfig("127.0.0.1:0", firstDataDir.toString(), false, 5)
                .withDatabase(database).withStorage(storage));
        second = BerthServer.start(new BerthConfig("127.0.0.1:0", secondDataDir.toString(), false, 5)
                .withDatabase(database).withStorage(storage));
        one = new RegistryHttp(first.uri());
        two = new RegistryHttp(second.uri());
    }

    @AfterEach
    void stopNodes() throws Exception {
        first.close();
        second.close();
        s3.close();
        TestRegistry.deleteRecursively(firstDataDir);
        TestRegistry.deleteRecursively(secondDataDir);
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void anUploadStartedOnOneNodeCompletesOnTheOther() {
        TestBlob blob = TestBlob.random(300_000, 1);
        String location = one.post("/v2/nodes/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        one.patch(location, Arrays.copyOfRange(blob.content(), 0, 100_000), Map.of("Content-Range", "0-99999"));

        HttpResponse<byte[]> status = two.get(location);
        HttpResponse<byte[]> chunk = two.patch(location, Arrays.copyOfRange(blob.content(), 100_000, 200_000),
                Map.of("Content-Range", "100000-199999"));
        HttpResponse<byte[]> closed = one.put(location + "?digest=" + blob.digest(), "application/octet-stream",
                Arrays.copyOfRange(blob.content(), 200_000, 300_000));

        assertThat(status.headers().firstValue("Range")).hasValue("0-99999");
        assertThat(chunk.headers().firstValue("Range")).hasValue("0-199999");
        assertThat(closed.statusCode()).as(RegistryHttp.text(closed)).isEqualTo(201);
        assertThat(two.get("/v2/nodes/app/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void whatOneNodeWritesTheOtherServes() {
        TestBlob config = TestBlob.of("{\"os\":\"linux\"}");
        one.pushBlob("nodes/shared", config.content());
        TestBlob manifest = ManifestJson.ociImage(config).build();
        one.pushManifest("nodes/shared", "v1", MediaTypes.OCI_MANIFEST, manifest.content());

        assertThat(two.get("/v2/nodes/shared/manifests/v1").body()).isEqualTo(manifest.content());
        assertThat(two.delete("/v2/nodes/shared/manifests/v1").statusCode()).isEqualTo(202);
        assertThat(one.get("/v2/nodes/shared/manifests/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void concurrentTagMovesFromBothNodesLeaveOneConsistentAnswer() throws Exception {
        TestBlob config = TestBlob.of("{\"os\":\"linux\"}");
        one.pushBlob("nodes/race", config.content());
        List<TestBlob> manifests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TestBlob manifest = ManifestJson.ociImage(config).annotation("build", String.valueOf(i)).build();
            one.pushManifest("nodes/race", manifest.digest().toString(), MediaTypes.OCI_MANIFEST, manifest.content());
            manifests.add(manifest);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> moves = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                RegistryHttp node = i % 2 == 0 ? one : two;
                TestBlob manifest = manifests.get(i % manifests.size());
                Callable<Integer> move = () -> node.put("/v2/nodes/race/manifests/latest", MediaTypes.OCI_MANIFEST,
                        manifest.content()).statusCode();
                moves.add(pool.submit(move));
            }
            for (Future<Integer> move : moves) {
                assertThat(move.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }

        byte[] fromOne = one.get("/v2/nodes/race/manifests/latest").body();
        byte[] fromTwo = two.get("/v2/nodes/race/manifests/latest").body();
        assertThat(fromOne).isEqualTo(fromTwo);
        assertThat(manifests).anyMatch(manifest -> Arrays.equals(manifest.content(), fromOne));
    }
}
