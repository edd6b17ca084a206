package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Berth's configuration, read from YAML with dash-case keys ({@code docs/configuration.md} lists
 * every key). Command-line flags override the file; missing keys take the defaults below.
 *
 * @param listen                 {@code HOST:PORT} to listen on ({@code [::1]:5000} for IPv6)
 * @param dataDir                directory holding blobs, uploads and the SQLite database
 * @param accessLog              whether to log one line per request
 * @param shutdownGraceSeconds   how long in-flight requests may run on after SIGTERM
 * @param tls                    certificate and key to serve HTTPS (and HTTP/2) with, when present
 * @param auth                   authentication and per-repository policy; without it, every request is allowed
 * @param insecureOpenRegistry   allow listening beyond loopback without {@code auth}
 * @param database               PostgreSQL for metadata; without it, SQLite in the data directory
 * @param storage                where blob bytes live; without it, the data directory
 * @param trustedProxies         CIDR networks of reverse proxies whose {@code X-Forwarded-For} is believed
 * @param mirrors                blob downloads from mirrors and a CDN
 * @param promotion              candidate to stable promotion: namespaces and gates
 * @param uploads                expiry of abandoned upload sessions
 * @param requests               limits on stalled connections, slow bodies and the heap bodies may take
 * @param gc                     online garbage collection: schedule, grace, untagged manifests
 * @param retention              which tags go when they grow old, per repository pattern
 * @param tagProtection          immutable and protected tags, per repository pattern
 * @param quotas                 bytes and repositories per repository pattern
 * @param readOnly               start in read-only maintenance mode: writes are refused, reads go on
 * @param metrics                metrics in the Prometheus text format; without it, none are kept or served
 * @param events                 events delivered over AMQP and webhooks from a durable outbox
 * @param log                    the access log's format: text lines, or JSON objects with a request id
 */
public record BerthConfig(
        @JsonProperty("listen") String listen,
        @JsonProperty("data-dir") String dataDir,
        @JsonProperty("access-log") Boolean accessLog,
        @JsonProperty("shutdown-grace-seconds") Integer shutdownGraceSeconds,
        @JsonProperty("tls") TlsConfig tls,
        @JsonProperty("auth") AuthConfig auth,
        @JsonProperty("insecure-open-registry") Boolean insecureOpenRegistry,
        @JsonProperty("database") DatabaseConfig database,
        @JsonProperty("storage") StorageConfig storage,
        @JsonProperty("trusted-proxies") java.util.List<String> trustedProxies,
        @JsonProperty("mirrors") MirrorsConfig mirrors,
        @JsonProperty("promotion") PromotionConfig promotion,
        @JsonProperty("uploads") UploadsConfig uploads,
        @JsonProperty("requests") RequestsConfig requests,
        @JsonProperty("gc") GcConfig gc,
        @JsonProperty("retention") java.util.List<RetentionRuleConfig> retention,
        @JsonProperty("tag-protection") java.util.List<TagProtectionConfig> tagProtection,
        @JsonProperty("quotas") java.util.List<QuotaConfig> quotas,
        @JsonProperty("read-only") Boolean readOnly,
        @JsonProperty("metrics") MetricsConfig metrics,
        @JsonProperty("events") EventsConfig events,
        @JsonProperty("log") LogConfig log) {

    public static final String DEFAULT_LISTEN = "127.0.0.1:5000";
    public static final String DEFAULT_DATA_DIR = "./berth-data";
    public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;

    /** Fills every absent key with its default. */
    public BerthConfig {
        events = events == null ? EventsConfig.defaults() : events;
        log = log == null ? LogConfig.defaults() : log;
        listen = listen == null ? DEFAULT_LISTEN : listen;
        dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
        accessLog = accessLog == null ? Boolean.TRUE : accessLog;
        shutdownGraceSeconds = shutdownGraceSeconds == null ? DEFAULT_SHUTDOWN_GRACE_SECONDS : shutdownGraceSeconds;
        insecureOpenRegistry = insecureOpenRegistry != null && insecureOpenRegistry;
        trustedProxies = trustedProxies == null ? java.util.List.of() : java.util.List.copyOf(trustedProxies);
        mirrors = mirrors == null ? MirrorsConfig.defaults() : mirrors;
        promotion = promotion == null ? PromotionConfig.defaults() : promotion;
        uploads = uploads == null ? UploadsConfig.defaults() : uploads;
        requests = requests == null ? RequestsConfig.defaults() : requests;
        gc = gc == null ? GcConfig.defaults() : gc;
        retention = retention == null ? java.util.List.of() : java.util.List.copyOf(retention);
        tagProtection = tagProtection == null ? java.util.List.of() : java.util.List.copyOf(tagProtection);
        quotas = quotas == null ? java.util.List.of() : java.util.List.copyOf(quotas);
        readOnly = readOnly != null && readOnly;
        if (shutdownGraceSeconds < 0) {
            throw new ConfigException("shutdown-grace-seconds must not be negative");
        }
        ListenAddress.parse(listen);
    }

    /** The settings of a plain local registry: no TLS, no authentication. */
    public BerthConfig(String listen, String dataDir, Boolean accessLog, Integer shutdownGraceSeconds) {
        this(listen, dataDir, accessLog, shutdownGraceSeconds, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public static BerthConfig defaults() {
        return new BerthConfig(null, null, null, null);
    }

    public BerthConfig withListen(String value) {
        return new BerthConfig(value, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withDataDir(String value) {
        return new BerthConfig(listen, value, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withInsecureOpenRegistry(boolean value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, value, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withTls(TlsConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, value, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withAuth(AuthConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, value, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withDatabase(DatabaseConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, value, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withStorage(StorageConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, value, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withTrustedProxies(java.util.List<String> value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, value, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withMirrors(MirrorsConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, value, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withPromotion(PromotionConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, value, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withUploads(UploadsConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, value, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withRequests(RequestsConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, value, gc, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withGc(GcConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, value, retention, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withRetention(java.util.List<RetentionRuleConfig> value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, value, tagProtection, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withTagProtection(java.util.List<TagProtectionConfig> value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, value, quotas, readOnly, metrics, events, log);
    }

    public BerthConfig withQuotas(java.util.List<QuotaConfig> value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, value, readOnly, metrics, events, log);
    }

    public BerthConfig withReadOnly(boolean value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, value, metrics, events, log);
    }

    public BerthConfig withEvents(EventsConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, value, log);
    }

    public BerthConfig withLog(LogConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, metrics, events, value);
    }

    public BerthConfig withMetrics(MetricsConfig value) {
        return new BerthConfig(listen, dataDir, accessLog, shutdownGraceSeconds, tls, auth, insecureOpenRegistry, database, storage, trustedProxies, mirrors, promotion, uploads, requests, gc, retention, tagProtection, quotas, readOnly, value, events, log);
    }

    /** The metrics settings; empty when metrics are off. */
    public java.util.Optional<MetricsConfig> metricsSettings() {
        return java.util.Optional.ofNullable(metrics);
    }

    public java.util.Optional<StorageConfig> storageSettings() {
        return java.util.Optional.ofNullable(storage);
    }

    public java.util.Optional<DatabaseConfig> databaseSettings() {
        return java.util.Optional.ofNullable(database);
    }

    public java.util.Optional<TlsConfig> tlsSettings() {
        return java.util.Optional.ofNullable(tls);
    }

    public java.util.Optional<AuthConfig> authSettings() {
        return java.util.Optional.ofNullable(auth);
    }

    public ListenAddress listenAddress() {
        return ListenAddress.parse(listen);
    }
}
