package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.gc.GarbageCollector;
import io.berth.config.ListenAddress;
import io.berth.config.RequestsConfig;
import io.berth.config.TlsConfig;
import io.berth.events.EventRecorder;
import io.berth.events.OutboxDispatcher;
import io.berth.http.AccessLog;
import io.berth.http.MinimumBodyRate;
import io.berth.http.RegistryHandler;
import io.berth.http.RequestIds;
import io.berth.http.ServerErrorHandler;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Limits;
import io.berth.mirror.ClientAddresses;
import io.berth.promotion.PromotionService;
import io.berth.registry.Registry;
import io.berth.storage.BlobLayout;
import io.berth.storage.BlobStore;
import io.berth.storage.FilesystemBlobStore;
import io.berth.storage.PrivateFiles;
import io.berth.storage.S3BlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the stores, the registry and the HTTP server from a
 * {@link BerthConfig}, and owns their lifecycle. Nothing else knows the concrete backends.
 */
public final class BerthServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BerthServer.class);
    public static final String SQLITE_FILE = "berth.db";
    /** Who switched maintenance mode on, as recorded when {@code read-only: true} did it at start. */
    public static final String CONFIGURED_READ_ONLY = "configuration (read-only: true)";

    private final Server jetty;
    private final ServerConnector connector;
    private final MetadataStore metadata;
    private final ListenAddress address;
    private final Optional<AccessLog> accessLog;
    private final Optional<CertificateReloader> certificates;
    private final MirrorSetup mirrors;
    private final UploadExpiry uploadExpiry;
    private final Optional<GcSchedule> gc;
    private final MaintenanceRefresh maintenance;
    private final Optional<SigningKeyPublisher> keyPublisher;
    private final Optional<ManagementPort> managementPort;
    private final Optional<MetricsSetup> metrics;
    private final Optional<OutboxDispatcher> events;

    private BerthServer(Server jetty, ServerConnector connector, MetadataStore metadata, ListenAddress address,
                        Optional<AccessLog> accessLog, Optional<CertificateReloader> certificates, MirrorSetup mirrors,
                        UploadExpiry uploadExpiry, Optional<GcSchedule> gc, MaintenanceRefresh maintenance,
                        Optional<SigningKeyPublisher> keyPublisher, Optional<ManagementPort> managementPort,
                        Optional<MetricsSetup> metrics, Optional<OutboxDispatcher> events) {
        this.managementPort = managementPort;
        this.metrics = metrics;
        this.events = events;
        this.maintenance = maintenance;
        this.keyPublisher = keyPublisher;
        this.mirrors = mirrors;
        this.uploadExpiry = uploadExpiry;
        this.gc = gc;
        this.jetty = jetty;
        this.connector = connector;
        this.metadata = metadata;
        this.address = address;
        this.accessLog = accessLog;
        this.certificates = certificates;
    }

    /** Builds and starts a server; the returned server is serving requests. */
    public static BerthServer start(BerthConfig config) throws Exception {
        refuseOpenRegistry(config);
        Path dataDir = DataDirectory.prepare(config.dataDir());
        warnWhenOpenToOthers(dataDir);
        Clock clock = Clock.systemUTC();
        MetadataStore metadata = openMetadata(config, clock);
        try {
            BlobStore blobStore = openBlobStore(config, dataDir);
            io.berth.protection.TagProtection protection = TagProtectionSetup.protection(config.tagProtection());
            io.berth.registry.Quotas quotas = QuotaSetup.quotas(config.quotas());
            EventRecorder events = EventSetup.recorder(config.events(), clock);
            EventRecorder audited = EventSetup.auditedRecorder(config.events(), clock);
            Registry registry = Registry.create(metadata, blobStore, clock, config.gc().grace(), protection, quotas, audited);
            if (config.readOnly()) {
                // read-only: true switches every node sharing the database on at each start; see
                // docs/configuration.md#read-only for how it and the stored switch combine.
                registry.maintenance().switchTo(true, CONFIGURED_READ_ONLY);
                LOG.warn("read-only maintenance mode is on (read-only: true in the configuration): writes are refused"
                        + " on every node sharing this database until an administrator switches it off");
            } else if (registry.maintenance().readOnly()) {
                LOG.warn("read-only maintenance mode is on (switched by {}): writes are refused until it is switched off",
                        registry.maintenance().current().map(value -> value.changedBy()).orElse("nobody"));
            }
            Optional<AuthSetup.Assembled> authentication = config.authSettings()
                    .map(settings -> AuthSetup.build(settings, dataDir, metadata, clock));
            Optional<RegistryHandler.AuthSettings> auth = authentication.map(AuthSetup.Assembled::settings);
            Optional<SigningKeyPublisher> keyPublisher = authentication.map(AuthSetup.Assembled::publisher);
            ClientAddresses clients = MirrorSetup.clientAddresses(config);
            Optional<MetricsSetup> metrics = config.metricsSettings().map(settings -> MetricsSetup.create(settings, metadata));
            MirrorSetup mirrors;
            try {
                mirrors = MirrorSetup.start(config, metadata, clock, clients,
                        result -> metrics.ifPresent(setup -> setup.metrics().crawls().crawled(result)), events);
            } catch (Exception | Error e) {
                keyPublisher.ifPresent(SigningKeyPublisher::close);
                metrics.ifPresent(setup -> setup.metrics().close());
                throw e;
            }
            metrics.ifPresent(setup -> setup.watchMirrors(mirrors.routing().sources(), clock));
            try {
                PromotionService promotions = new PromotionService(metadata, blobStore,
                        PromotionSetup.rules(config.promotion()), clock, protection, QuotaSetup.targetQuota(quotas), audited);
                GarbageCollector collector = new GarbageCollector(metadata, blobStore, clock, GcSetup.policy(config),
                        registry.maintenance());
                return startHttp(config, registry, metadata, auth, keyPublisher, mirrors, promotions, clients, collector,
                        metrics, clock);
            } catch (Exception | Error e) {
                keyPublisher.ifPresent(SigningKeyPublisher::close);
                mirrors.close();
                metrics.ifPresent(setup -> setup.metrics().close());
                throw e;
            }
        } catch (Exception | Error e) {
            metadata.close();
            throw e;
        }
    }

    /**
     * Berth creates the data directory owner-only; one created before, by hand or by an older
     * version, keeps its permissions, and this says so once at start.
     */
    private static void warnWhenOpenToOthers(Path dataDir) throws IOException {
        if (PrivateFiles.isOpenToOthers(dataDir)) {
            LOG.warn("the data directory {} is open to other users ({}); it holds the metadata database and uploads"
                    + " in progress: chmod 700 it", dataDir, PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)));
        }
    }

    /** The configured blob store: an S3-compatible object store, or files under the data directory. */
    static BlobStore openBlobStore(BerthConfig config, Path dataDir) throws IOException {
        if (config.storageSettings().filter(io.berth.config.StorageConfig::isS3).isPresent()) {
            io.berth.config.StorageConfig storage = config.storageSettings().get();
            URI endpoint = URI.create(storage.endpoint());
            return new S3BlobStore(S3BlobStore.client(endpoint, storage.region(), storage.accessKey(),
                    storage.secretKey(), storage.pathStyle()), storage.bucket(),
                    storage.presignedRedirects()
                            ? Optional.of(S3BlobStore.presigner(endpoint, storage.region(), storage.accessKey(),
                                    storage.secretKey(), storage.pathStyle()))
                            : Optional.empty());
        }
        return new FilesystemBlobStore(new BlobLayout(dataDir));
    }

    /**
     * Opens (creating and migrating when needed) the configured metadata database: PostgreSQL when
     * {@code database} is configured, else SQLite in the data directory.
     */
    public static MetadataStore openMetadata(BerthConfig config, Clock clock) {
        try {
            return openConfiguredMetadata(config, clock);
        } catch (StartupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("the metadata database failed to open", e);
            throw DatabaseFailures.describe(config, e);
        }
    }

    private static MetadataStore openConfiguredMetadata(BerthConfig config, Clock clock) {
        if (config.databaseSettings().isPresent()) {
            io.berth.config.DatabaseConfig database = config.databaseSettings().get();
            return SqlMetadataStore.openPostgresql(database.url(), database.user(), database.password(),
                    database.schema(), database.poolSize(), clock);
        }
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        try {
            PrivateFiles.createDirectories(dataDir);
            // Created owner-only before SQLite opens it; its -wal and -shm files take the same permissions.
            PrivateFiles.createFileIfMissing(dataDir.resolve(SQLITE_FILE));
        } catch (IOException e) {
            throw new StartupException(StartupException.Problem.DATA_DIRECTORY,
                    "cannot create the database file in the data directory " + dataDir, e);
        }
        return SqlMetadataStore.openSqlite(dataDir.resolve(SQLITE_FILE), clock);
    }

    /**
     * Secure by default: without authentication, Berth listens on loopback only, unless the
     * operator explicitly asks for an open registry.
     */
    static void refuseOpenRegistry(BerthConfig config) {
        if (config.authSettings().isPresent() || config.insecureOpenRegistry()) {
            return;
        }
        String host = config.listenAddress().host();
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new io.berth.config.ConfigException("listen: the host " + host + " is not known (give an address such as"
                    + " 127.0.0.1 or a name this host resolves)", e);
        }
        if (!address.isLoopbackAddress()) {
            throw new io.berth.config.ConfigException("refusing to listen on " + host
                    + " without authentication: anyone who can reach it could push and delete. Configure auth"
                    + " (see docs/security.md), listen on a loopback address, or pass --insecure-open-registry"
                    + " (insecure-open-registry: true) to serve an open registry anyway");
        }
    }

    private static BerthServer startHttp(BerthConfig config, Registry registry, MetadataStore metadata,
                                         Optional<RegistryHandler.AuthSettings> auth,
                                         Optional<SigningKeyPublisher> keyPublisher, MirrorSetup mirrors,
                                         PromotionService promotions, ClientAddresses clients,
                                         GarbageCollector collector, Optional<MetricsSetup> metrics,
                                         Clock clock) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("berth-http");
        // Handlers block on disk and database I/O; each request runs on its own virtual thread.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads, null, bufferPool());

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(Limits.MAX_REQUEST_HEADER_BYTES);
        http.setOutputBufferSize(128 * 1024);
        Optional<CertificateReloader> certificates = config.tlsSettings().map(BerthServer::openCertificates);
        ServerConnector connector = certificates
                .map(reloader -> TlsConnectorFactory.create(jetty, http, reloader.sslContextFactory()))
                .orElseGet(() -> new ServerConnector(jetty,
                        new HttpConnectionFactory(http)));
        ListenAddress address = config.listenAddress();
        connector.setHost(address.host());
        connector.setPort(address.port());
        RequestsConfig limits = config.requests();
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        jetty.addConnector(connector);

        GcStatusBoard gcStatus = new GcStatusBoard(config.gc().interval(), clock);
        RegistryHandler.BodyLimits bodyLimits = new RegistryHandler.BodyLimits(
                limits.bodyBufferBytes(Runtime.getRuntime().maxMemory()), limits.bodyWait());
        RegistryHandler registryHandler = new RegistryHandler(registry, jetty.getByteBufferPool(), auth,
                Optional.of(mirrors.routing()), Optional.of(promotions), bodyLimits,
                metrics.map(MetricsSetup::observer).orElse(io.berth.http.HttpObserver.NONE),
                metrics.flatMap(MetricsSetup::mainPortPage), metrics.map(MetricsSetup::readers).orElse(java.util.Set.of()),
                Optional.of(AdministrationSetup.administration(metadata, collector, clock, gcStatus)),
                BuildVersion.current().describe());
        GracefulHandler graceful = new GracefulHandler(new MinimumBodyRate(registryHandler,
                limits.minimumBodyBytesPerSecond(), limits.minimumBodyRateGrace()));
        jetty.setHandler(new RequestIds(graceful));
        jetty.setErrorHandler(new ServerErrorHandler());
        Optional<AccessLog> accessLog = config.accessLog()
                ? Optional.of(new AccessLog(System.out, clients, config.log().json() ? AccessLog.Format.JSON : AccessLog.Format.TEXT))
                : Optional.empty();
        accessLog.ifPresent(jetty::setRequestLog);
        jetty.setStopTimeout(config.shutdownGraceSeconds() * 1000L);
        jetty.setStopAtShutdown(false);
        Listening.start(jetty, address);
        Optional<ManagementPort> managementPort;
        try {
            managementPort = metrics.isPresent() ? metrics.get().startManagementPort() : Optional.empty();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        UploadExpiry uploadExpiry = UploadExpiry.start(config.uploads(), registry.uploads());
        java.util.function.Consumer<io.berth.gc.GcReport> gcReports = report -> {
            gcStatus.passed(report);
            metrics.ifPresent(setup -> setup.metrics().gc().passed(report, clock.instant()));
        };
        Optional<GcSchedule> gc = config.gc().interval().map(interval -> GcSchedule.start(collector, interval, gcReports));
        MaintenanceRefresh maintenance = MaintenanceRefresh.start(registry.maintenance());
        Optional<OutboxDispatcher> events = EventSetup.startDispatcher(config.events(), metadata, Clock.systemUTC());
        BerthServer server = new BerthServer(jetty, connector, metadata, address, accessLog, certificates, mirrors,
                uploadExpiry, gc, maintenance, keyPublisher, managementPort, metrics, events);
        LOG.info("Berth {} is serving the registry API at {}{}; {}", BuildVersion.current().describe(), server.uri(),
                certificates.isPresent() ? " (" + TlsConnectorFactory.DESCRIPTION + ")" : "", StartupSummary.describe(config));
        certificates.ifPresent(CertificateReloader::start);
        if (auth.isPresent()) {
            LOG.info("authentication is on: {} policy rules, tokens from {}", auth.get().access().policy().rules().size(),
                    auth.get().realm().orElse(server.uri().resolve("/auth/token").toString()));
        } else if (config.insecureOpenRegistry()) {
            LOG.warn("authentication is off and insecure-open-registry is set: anyone who can connect may push and delete");
        } else {
            LOG.info("authentication is off: listening on loopback only; configure auth to open Berth to a network");
        }
        return server;
    }

    /**
     * Jetty's buffer pool, bounded: buffers up to {@link #MAX_POOLED_BUFFER_BYTES} (the 1 MiB blob
     * transfer buffers included) are reused instead of allocated per request, and at most
     * {@link #MAX_POOLED_HEAP_BYTES} and {@link #MAX_POOLED_DIRECT_BYTES} stay pooled, so that idle
     * buffers do not hold on to memory after a burst (Jetty's default keeps up to a quarter of the heap).
     */
    private static ArrayByteBufferPool bufferPool() {
        return new ArrayByteBufferPool(0, 4096, MAX_POOLED_BUFFER_BYTES, -1, MAX_POOLED_HEAP_BYTES, MAX_POOLED_DIRECT_BYTES);
    }

    static final int MAX_POOLED_BUFFER_BYTES = 1024 * 1024;
    static final long MAX_POOLED_HEAP_BYTES = 16L * 1024 * 1024;
    static final long MAX_POOLED_DIRECT_BYTES = 24L * 1024 * 1024;

    private static CertificateReloader openCertificates(TlsConfig tls) {
        try {
            return CertificateReloader.open(Path.of(tls.certificate()), Path.of(tls.key()),
                    Duration.ofSeconds(tls.reloadSeconds()), TlsConnectorFactory::sslContextFactory);
        } catch (io.berth.config.ConfigException e) {
            throw new StartupException(StartupException.Problem.TLS_FILES, e.getMessage(), e);
        }
    }

    private void closeManagementPort() {
        try {
            if (managementPort.isPresent()) {
                managementPort.get().close();
            }
        } catch (Exception e) {
            LOG.warn("cannot stop the management port: {}", e.getMessage());
        }
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:5000/}, or {@code https://} when TLS is configured. */
    public URI uri() {
        String scheme = certificates.isPresent() ? "https" : "http";
        return URI.create(scheme + "://" + address.urlHost() + ":" + connector.getLocalPort() + "/");
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The management port serving the metrics ({@code metrics.listen}), when one is configured. */
    public java.util.OptionalInt managementPort() {
        return managementPort.map(port -> java.util.OptionalInt.of(port.port())).orElse(java.util.OptionalInt.empty());
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting, lets in-flight requests finish within the grace period, then closes stores. */
    @Override
    public void close() throws IOException {
        certificates.ifPresent(CertificateReloader::close);
        uploadExpiry.close();
        gc.ifPresent(GcSchedule::close);
        maintenance.close();
        keyPublisher.ifPresent(SigningKeyPublisher::close);
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IOException("cannot stop the HTTP server", e);
        } finally {
            closeManagementPort();
            metrics.ifPresent(setup -> setup.metrics().close());
            accessLog.ifPresent(AccessLog::close);
            events.ifPresent(OutboxDispatcher::close);
            mirrors.close();
            metadata.close();
        }
    }
}
