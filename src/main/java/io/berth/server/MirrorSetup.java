package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigException;
import io.berth.config.MirrorConfig;
import io.berth.config.MirrorsConfig;
import io.berth.auth.Action;
import io.berth.auth.Policy;
import io.berth.auth.Principal;
import io.berth.http.MirrorRouting;
import io.berth.mirror.ExportScope;
import io.berth.events.EventRecorder;
import io.berth.metadata.MetadataStore;
import io.berth.mirror.ClientAddresses;
import io.berth.mirror.DownloadSources;
import io.berth.mirror.Geolocator;
import io.berth.mirror.HttpSourceProber;
import io.berth.mirror.Mirror;
import io.berth.mirror.MirrorCatalogue;
import io.berth.mirror.MirrorCrawler;
import io.berth.mirror.Netblock;
import io.berth.mirror.ReloadingGeolocator;
import io.berth.mirror.SourceHealth;
import io.berth.mirror.SourceWatch;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** Turns the {@code mirrors} and {@code trusted-proxies} sections into the mirror components. */
final class MirrorSetup implements AutoCloseable {
    private final Geolocator geolocator;
    private final MirrorCrawler crawler;
    private final SourceWatch watch;
    private final HttpSourceProber prober;
    private final MirrorRouting routing;

    private MirrorSetup(Geolocator geolocator, MirrorCrawler crawler, SourceWatch watch, HttpSourceProber prober,
                        MirrorRouting routing) {
        this.geolocator = geolocator;
        this.crawler = crawler;
        this.watch = watch;
        this.prober = prober;
        this.routing = routing;
    }

    /** The client addresses behind the configured {@code trusted-proxies}. */
    static ClientAddresses clientAddresses(BerthConfig config) {
        return new ClientAddresses(netblocks("trusted-proxies", config.trustedProxies()));
    }

    /**
     * The repositories whose blobs are exported and redirected: {@code mirrors.export-repositories}
     * when set, else what the access policy lets anonymous callers pull, else (no authentication)
     * every repository.
     */
    static ExportScope exportScope(BerthConfig config) {
        Optional<java.util.List<String>> patterns = config.mirrors().exportScope();
        if (patterns.isPresent()) {
            return ExportScope.matching(patterns.get());
        }
        return config.authSettings().<ExportScope>map(auth -> {
            Policy policy = AuthSetup.policy(auth);
            Principal anonymous = new Principal.Anonymous();
            return repository -> policy.allows(anonymous, repository.value(), Action.PULL);
        }).orElse(ExportScope.EVERYTHING);
    }

    /** Declares the configured mirrors in the catalogue, starts crawling, and starts probing the sources in use. */
    static MirrorSetup start(BerthConfig config, MetadataStore metadata, Clock clock, ClientAddresses clients,
                             java.util.function.Consumer<io.berth.mirror.CrawlResult> crawlResults, EventRecorder events) {
        MirrorsConfig settings = config.mirrors();
        List<Mirror> configured = settings.list().stream().map(MirrorSetup::mirror).toList();
        Geolocator geolocator = geolocator(settings);
        try {
            MirrorCatalogue catalogue = new MirrorCatalogue(metadata, clock);
            try {
                catalogue.declareConfigured(configured);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
            Optional<URI> cdn = settings.cdn().map(url -> {
                try {
                    return Mirror.normalizedBase(URI.create(url));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("mirrors.cdn-url: " + e.getMessage(), e);
                }
            });
            SourceHealth health = new SourceHealth(probeSettings(settings), clock);
            DownloadSources sources = new DownloadSources(geolocator, cdn, health);
            MirrorCrawler crawler = crawler(settings, catalogue, metadata, sources, clock, crawlResults, events);
            crawler.start(Duration.ofSeconds(settings.crawlIntervalSeconds()), settings.crawlOnStart(),
                    Duration.ofSeconds(settings.refreshSeconds()));
            HttpSourceProber prober = new HttpSourceProber(health.settings().timeout());
            SourceWatch watch = SourceWatch.onVirtualThreads(sources, health, prober);
            watch.start();
            return new MirrorSetup(geolocator, crawler, watch, prober,
                    new MirrorRouting(sources, clients, crawler, exportScope(config)));
        } catch (RuntimeException e) {
            geolocator.close();
            throw e;
        }
    }

    /** A crawler as the configuration describes it, for the server and for {@code berth mirror crawl}. */
    static MirrorCrawler crawler(MirrorsConfig settings, MirrorCatalogue catalogue, MetadataStore metadata,
                                 DownloadSources sources, Clock clock,
                                 java.util.function.Consumer<io.berth.mirror.CrawlResult> crawlResults, EventRecorder events) {
        return new MirrorCrawler(catalogue, metadata, sources, Duration.ofSeconds(settings.crawlTimeoutSeconds()),
                settings.spotChecks(), clock, crawlResults, events);
    }

    static SourceHealth.Settings probeSettings(MirrorsConfig settings) {
        return new SourceHealth.Settings(Duration.ofSeconds(settings.probeIntervalSeconds()), settings.probeFailures(),
                Duration.ofSeconds(settings.probeTimeoutSeconds()));
    }

    MirrorRouting routing() {
        return routing;
    }

    /** A configured mirror, validated; a bad one stops the start with its name and reason. */
    static Mirror mirror(MirrorConfig entry) {
        for (String code : java.util.stream.Stream.concat(java.util.stream.Stream.ofNullable(entry.country()),
                entry.allowedCountries().stream()).toList()) {
            if (!io.berth.mirror.Continents.isCountryCode(code)) {
                throw new ConfigException("mirrors.list: mirror " + entry.name() + ": '" + code
                        + "' is not an ISO 3166-1 alpha-2 country code (such as DE, US, BR)");
            }
        }
        try {
            return new Mirror(entry.name(), URI.create(entry.url()), Optional.ofNullable(entry.country()),
                    Optional.ofNullable(entry.continent()), netblocks("mirror " + entry.name() + " netblocks", entry.netblocks()),
                    new HashSet<>(entry.asns()), entry.bandwidthMbps(), entry.privateMirror(),
                    new HashSet<>(entry.allowedCountries()), entry.enabled(), true);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mirrors.list: " + e.getMessage(), e);
        }
    }

    static List<Netblock> netblocks(String what, List<String> cidrs) {
        try {
            return cidrs.stream().map(Netblock::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what + ": " + e.getMessage(), e);
        }
    }

    private static Geolocator geolocator(MirrorsConfig settings) {
        if (settings.countryDatabase().isEmpty() && settings.asnDatabase().isEmpty()) {
            return Geolocator.none();
        }
        try {
            return new ReloadingGeolocator(settings.countryDatabase().map(Path::of), settings.asnDatabase().map(Path::of),
                    Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("mirrors GeoIP databases: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        watch.close();
        prober.close();
        crawler.close();
        geolocator.close();
    }
}
