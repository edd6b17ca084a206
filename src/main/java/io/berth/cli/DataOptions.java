package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigLoader;
import io.berth.metadata.MetadataStore;
import io.berth.server.BerthServer;
import io.berth.server.DataDirectory;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * Where the registry's data is, for the commands that work on it: the configuration file or the data
 * directory flag. These commands work on an existing registry: they refuse a data directory that
 * holds no Berth database rather than create an empty one (only {@code serve} and
 * {@code robot create} create one). Without the flags, {@code BERTH_CONFIG} and {@code BERTH_DATA}
 * say where, as they do for {@code serve}. Problems are thrown, for {@link Failures} to report.
 */
final class DataOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: $BERTH_CONFIG, if set).")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: $BERTH_DATA, else the file's,"
            + " else ./berth-data).")
    String dataDir;

    /** The configuration of an existing registry: its data directory holds a Berth database (with SQLite). */
    BerthConfig config() {
        BerthConfig config = configuration();
        DataDirectory.requireExisting(config);
        return config;
    }

    /** The metadata database of an existing registry. */
    MetadataStore open() {
        return BerthServer.openMetadata(config(), Clock.systemUTC());
    }

    /** The metadata database, created with the data directory when there is none yet. */
    MetadataStore openOrCreate() {
        return BerthServer.openMetadata(configuration(), Clock.systemUTC());
    }

    /** Refuses {@code --config} and {@code --data} beside {@code other}: a command runs on the data directory or remotely, not both. */
    void requireNoneGiven(String other) {
        if (configFile != null || dataDir != null) {
            throw new IllegalArgumentException("--config and --data work on the data directory; " + other
                    + " runs over the registry's API: give one or the other");
        }
    }

    private BerthConfig configuration() {
        java.util.Optional<Path> file = configFile != null ? java.util.Optional.of(configFile)
                : environment("BERTH_CONFIG").map(Path::of);
        BerthConfig config = file.map(ConfigLoader::load).orElseGet(BerthConfig::defaults);
        java.util.Optional<String> data = dataDir != null ? java.util.Optional.of(dataDir) : environment("BERTH_DATA");
        return data.map(config::withDataDir).orElse(config);
    }

    /** A variable that is set and not empty. */
    static java.util.Optional<String> environment(String name) {
        return java.util.Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
