package io.berth.gc;

import io.berth.config.BerthConfig;
import io.berth.config.DatabaseConfig;
import io.berth.config.GcConfig;
import io.berth.config.PromotionConfig;
import io.berth.config.StorageConfig;
import io.berth.metadata.MetadataStore;
import io.berth.server.BerthServer;
import io.berth.storage.BlobInventory;
import io.berth.storage.BlobLayout;
import io.berth.storage.BlobStore;
import io.berth.storage.FilesystemBlobStore;
import io.berth.storage.S3BlobStore;
import io.berth.testing.RegistryHttp;
import io.berth.testing.S3ProxyServer;
import io.berth.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Real Berth servers for a soak, each with a garbage collector of its own beside it (its own
 * connections to the database, as {@code berth gc} on that node would have): one node over SQLite and
 * the filesystem, or several stateless nodes over one PostgreSQL schema and one S3 bucket (S3Proxy).
 * Collectors remove what has been unreferenced for a second, so that they race everything.
 */
final class SoakNodes implements AutoCloseable {
    static final String POSTGRES_URL = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String POSTGRES_USER = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_USER", "postgres");
    static final String POSTGRES_PASSWORD = System.getenv().getOrDefault("BERTH_TEST_POSTGRES_PASSWORD", "");
    /** How long something must stay unreferenced before a collector removes it; short, so that it races everything. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final String description;
    private final List<BerthServer> servers;
    private final List<MetadataStore> collectorStores;
    private final List<GarbageCollector> collectors;
    private final BlobInventory inventory;
    private final BerthConfig config;
    private final List<Path> directories;
    private final Optional<S3ProxyServer> s3;
    private final Optional<String> schema;

    private SoakNodes(String description, List<BerthServer> servers, List<MetadataStore> collectorStores,
                      List<GarbageCollector> collectors, BlobInventory inventory, BerthConfig config, List<Path> directories,
                      Optional<S3ProxyServer> s3, Optional<String> schema) {
        this.description = description;
        this.servers = servers;
        this.collectorStores = collectorStores;
        this.collectors = collectors;
        this.inventory = inventory;
        this.config = config;
        this.directories = directories;
        this.s3 = s3;
        this.schema = schema;
    }

    /** One node over SQLite and the filesystem. */
    static SoakNodes sqliteAndFilesystem() throws Exception {
        Path directory = Files.createTempDirectory("berth-soak-");
        BerthConfig config = nodeConfig(directory);
        BerthServer server = BerthServer.start(config);
        MetadataStore store = BerthServer.openMetadata(config, Clock.systemUTC());
        FilesystemBlobStore blobs = new FilesystemBlobStore(new BlobLayout(directory));
        return new SoakNodes("1 node, SQLite + filesystem", List.of(server), List.of(store), List.of(collector(store, blobs, 1)),
                blobs, config, List.of(directory), Optional.empty(), Optional.empty());
    }

    /** {@code count} stateless nodes over one PostgreSQL schema and one S3Proxy bucket. */
    static SoakNodes postgresqlAndS3(int count) throws Exception {
        S3ProxyServer s3 = S3ProxyServer.start();
        String schema = "berth_soak_" + UUID.randomUUID().toString().replace("-", "");
        StorageConfig storage = new StorageConfig(StorageConfig.S3, s3.endpoint().toString(), S3ProxyServer.REGION,
                S3ProxyServer.BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true, false);
        DatabaseConfig database = new DatabaseConfig(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD, schema, 6);
        List<BerthServer> servers = new ArrayList<>();
        List<MetadataStore> stores = new ArrayList<>();
        List<GarbageCollector> collectors = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        S3BlobStore inventory = s3Store(s3);
        BerthConfig first = null;
        for (int i = 0; i < count; i++) {
            Path directory = Files.createTempDirectory("berth-soak-node-" + i + "-");
            directories.add(directory);
            BerthConfig config = nodeConfig(directory).withDatabase(database).withStorage(storage);
            first = first == null ? config : first;
            servers.add(BerthServer.start(config));
            MetadataStore store = BerthServer.openMetadata(config, Clock.systemUTC());
            stores.add(store);
            collectors.add(collector(store, s3Store(s3), GcConfig.DEFAULT_WORKERS));
        }
        return new SoakNodes(count + " nodes, PostgreSQL + S3 (S3Proxy)", servers, stores, collectors, inventory, first,
                directories, Optional.of(s3), Optional.of(schema));
    }

    private static BerthConfig nodeConfig(Path directory) {
        return new BerthConfig("127.0.0.1:0", directory.toString(), false, 5)
                .withGc(new GcConfig(0L, GRACE.toSeconds(), GRACE.toSeconds(), null, null, null))
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace(
                        SoakPlan.SOURCE_NAMESPACE + "/*", SoakPlan.TARGET_NAMESPACE + "/*")), List.of()));
    }

    private static S3BlobStore s3Store(S3ProxyServer s3) {
        return new S3BlobStore(S3BlobStore.client(s3.endpoint(), S3ProxyServer.REGION, S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY, true), S3ProxyServer.BUCKET);
    }

    private static GarbageCollector collector(MetadataStore store, BlobStore blobs, int workers) {
        GcPolicy policy = new GcPolicy(GRACE, Optional.of(GRACE), List.of(), TagGuard.NONE, workers);
        return new GarbageCollector(store, blobs, Clock.systemUTC(), policy, () -> false);
    }

    String description() {
        return description;
    }

    List<RegistryHttp> clients() {
        return servers.stream().map(server -> new RegistryHttp(server.uri())).toList();
    }

    List<GarbageCollector> collectors() {
        return collectors;
    }

    /** The blob store, to count what it holds. */
    BlobInventory inventory() {
        return inventory;
    }

    /** The metadata database the nodes share, as the first collector opened it. */
    MetadataStore metadata() {
        return collectorStores.getFirst();
    }

    /** A node's configuration, for {@code berth fsck}. */
    BerthConfig config() {
        return config;
    }

    @Override
    public void close() throws Exception {
        for (BerthServer server : servers) {
            server.close();
        }
        collectorStores.forEach(MetadataStore::close);
        if (s3.isPresent()) {
            s3.get().close();
        }
        directories.forEach(TestRegistry::deleteRecursively);
        if (schema.isPresent()) {
            try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema.get() + " CASCADE");
            }
        }
    }
}
