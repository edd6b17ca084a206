package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigException;
import io.berth.config.ConfigLoader;
import io.berth.metadata.MetadataStore;
import io.berth.server.BerthServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the registry's data is, for the commands that work on it: the configuration file or the data directory flag. */
final class DataOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./berth-data).")
    String dataDir;

    /**
     * The configuration, or empty after telling {@code err} why it cannot be read (a missing or
     * refused file, a bad flag); the command then exits with status 2.
     */
    Optional<BerthConfig> configOrReport(PrintWriter err) {
        try {
            return Optional.of(config());
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("berth: " + e.getMessage());
            err.flush();
            return Optional.empty();
        }
    }

    BerthConfig config() {
        BerthConfig config = configFile == null ? BerthConfig.defaults() : ConfigLoader.load(configFile);
        return dataDir == null ? config : config.withDataDir(dataDir);
    }

    MetadataStore open() {
        return BerthServer.openMetadata(config(), Clock.systemUTC());
    }
}
