package io.berth.testing;

import io.berth.config.BerthConfig;
import io.berth.server.BerthServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A Berth server running in this JVM on a free loopback port, over a fresh temporary data
 * directory that is deleted on close.
 */
public final class TestRegistry implements AutoCloseable {
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final UnaryOperator<BerthConfig> customization;
    private BerthServer server;

    private TestRegistry(Path dataDir, boolean ownsDataDir, UnaryOperator<BerthConfig> customization) throws Exception {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.customization = customization;
        this.server = BerthServer.start(config());
    }

    public static TestRegistry start() {
        return start(UnaryOperator.identity());
    }

    /**
     * Starts with the test settings (a free loopback port, a fresh data directory, no access log)
     * changed by {@code customization}, e.g. {@code config -> config.withTls(...)}.
     */
    public static TestRegistry start(UnaryOperator<BerthConfig> customization) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("berth-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new TestRegistry(dataDir, true, customization);
        } catch (Exception e) {
            IllegalStateException failed = new IllegalStateException("cannot start a test registry", e);
            try {
                deleteRecursively(dataDir);
            } catch (UncheckedIOException cleanup) {
                // The start's own failure is what the caller asks about; the cleanup's is noted beside it.
                failed.addSuppressed(cleanup);
            }
            throw failed;
        }
    }

    /** Starts over an existing data directory, which is left in place on close. */
    public static TestRegistry startOn(Path dataDir) {
        return startOn(dataDir, UnaryOperator.identity());
    }

    /**
     * Starts over {@code dataDir} (created by the server when missing; left in place on close),
     * with the test settings changed by {@code customization}.
     */
    public static TestRegistry startOn(Path dataDir, UnaryOperator<BerthConfig> customization) {
        try {
            return new TestRegistry(dataDir, false, customization);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a test registry", e);
        }
    }

    private BerthConfig config() {
        return customization.apply(new BerthConfig("127.0.0.1:0", dataDir.toString(), false, 5));
    }

    /** Stops and starts the server over the same data directory (a new port), with the same settings. */
    public void restart() throws Exception {
        server.close();
        server = BerthServer.start(config());
    }

    public URI uri() {
        return server.uri();
    }

    /** {@code 127.0.0.1:PORT}, as clients such as skopeo name the registry. */
    public String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    /** The management port serving the metrics, when {@code metrics.listen} configures one. */
    public java.util.OptionalInt managementPort() {
        return server.managementPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A plain-HTTP client of this registry; over HTTPS, use {@link RegistryHttp#RegistryHttp(URI, HttpClient)}. */
    public RegistryHttp http() {
        return new RegistryHttp(uri());
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (ownsDataDir) {
                deleteRecursively(dataDir);
            }
        }
    }

    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
