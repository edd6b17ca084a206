package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigLoader;
import io.berth.server.BerthServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code berth serve}: runs the registry until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the registry API (filesystem blobs + SQLite metadata in the data directory).",
                "Exit status when it cannot start: 4 configuration error, 5 data directory, 6 port unavailable,"
                        + " 7 database unreachable, 8 TLS files (docs/operations.md, \"Exit codes\")."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:BERTH_CONFIG}",
            description = "YAML configuration file (dash-case keys); default: $BERTH_CONFIG, if set.")
    Path configFile;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "${env:BERTH_LISTEN}",
            description = "Address to listen on, over the file's (default: $BERTH_LISTEN, else 127.0.0.1:5000).")
    String listen;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:BERTH_DATA}",
            description = "Data directory, over the file's (default: $BERTH_DATA, else ./berth-data).")
    String dataDir;

    @Option(names = "--insecure-open-registry",
            description = "Allow listening beyond loopback without authentication (anyone may push and delete).")
    boolean insecureOpenRegistry;

    /**
     * Serves until SIGTERM or SIGINT. A server that cannot start throws, and {@link Failures} prints one
     * line and exits with the status of {@link ExitCodes} for the problem (configuration, data
     * directory, port, database, TLS files).
     */
    @Override
    public Integer call() throws Exception {
        // An empty BERTH_CONFIG is unset, not a file named "".
        boolean noFile = configFile == null || configFile.toString().isBlank();
        BerthConfig config = noFile ? BerthConfig.defaults() : ConfigLoader.load(configFile);
        if (listen != null && !listen.isEmpty()) {
            config = config.withListen(listen);
        }
        if (dataDir != null && !dataDir.isEmpty()) {
            config = config.withDataDir(dataDir);
        }
        if (insecureOpenRegistry) {
            config = config.withInsecureOpenRegistry(true);
        }
        BerthServer server = BerthServer.start(config);
        CountDownLatch stopRequested = new CountDownLatch(1);
        // Handle SIGTERM and SIGINT ourselves: stop gracefully, then exit with status 0.
        for (String signal : new String[]{"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> stopRequested.countDown());
        }
        System.out.println("Berth listening on " + server.uri());
        System.out.flush();
        stopRequested.await();
        System.out.println("Berth stopping: finishing in-flight requests");
        server.close();
        System.out.println("Berth stopped");
        return ExitCodes.OK;
    }
}
