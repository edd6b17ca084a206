package io.berth.server;

import io.berth.config.BerthConfig;
import io.berth.metadata.MetadataStore;
import io.berth.mirror.CrawlResult;
import io.berth.mirror.DownloadSources;
import io.berth.mirror.ExportProgress;
import io.berth.mirror.Geolocator;
import io.berth.mirror.MirrorCatalogue;
import io.berth.mirror.MirrorCrawler;
import io.berth.mirror.MirrorExport;
import io.berth.storage.BlobStore;
import io.berth.storage.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The mirror operations {@code berth mirror} runs outside a server, over the configured stores. */
public final class MirrorTools {
    private MirrorTools() {
    }

    /**
     * Writes or refreshes the mirror tree in {@code directory} from the configured blob store, with the
     * blobs of the repositories in the configured export scope.
     */
    public static MirrorExport.Result export(BerthConfig config, Path directory, ExportProgress progress) {
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        Clock clock = Clock.systemUTC();
        try (MetadataStore metadata = BerthServer.openMetadata(config, clock)) {
            PrivateFiles.createDirectories(dataDir);
            BlobStore blobs = BerthServer.openBlobStore(config, dataDir);
            return new MirrorExport(metadata, blobs, clock, config.gc().mirrorTreeGrace(), MirrorSetup.exportScope(config))
                    .export(directory, progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store: " + e.getMessage(), e);
        }
    }

    /** Crawls every enabled mirror once and records the results, as a server's crawler would. */
    public static List<CrawlResult> crawl(BerthConfig config) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        try (MetadataStore metadata = BerthServer.openMetadata(config, clock)) {
            MirrorCatalogue catalogue = new MirrorCatalogue(metadata, clock);
            DownloadSources sources = new DownloadSources(Geolocator.none(), Optional.empty());
            try (MirrorCrawler crawler = MirrorSetup.crawler(config.mirrors(), catalogue, metadata, sources, clock, result -> { },
                    EventSetup.recorder(config.events(), clock))) {
                return crawler.crawlAll();
            }
        }
    }

    /** The configuration file's mirrors, declared in the catalogue as a starting server would. */
    public static void declareConfigured(BerthConfig config, MetadataStore metadata) {
        new MirrorCatalogue(metadata, Clock.systemUTC())
                .declareConfigured(config.mirrors().list().stream().map(MirrorSetup::mirror).toList());
    }
}
