package io.berth.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.berth.testing.BerthCommandRun;
import io.berth.testing.LoopbackPorts;
import io.berth.testing.PostgresqlSchema;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth serve} that cannot start says why in one line on standard error and exits with the
 * status docs/operations.md lists for the problem ({@code cli.ExitCodes}); no stack trace and no
 * library wording reach the operator. Each case runs the packaged jar as a process.
 */
class StartupFailuresIT {
    private static final int CONFIGURATION = 4;
    private static final int DATA_DIRECTORY = 5;
    private static final int PORT_UNAVAILABLE = 6;
    private static final int DATABASE_UNAVAILABLE = 7;
    private static final int TLS_FILES = 8;

    @TempDir
    Path temporary;

    @Test
    void aPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BerthCommandRun run = serve("--listen", "127.0.0.1:" + taken.getLocalPort(), "--data", data());

            assertFailed(run, PORT_UNAVAILABLE,
                    "berth: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the port is in use by another process");
        }
    }

    @Test
    void aDataDirectoryThatIsAFile() throws Exception {
        Path file = Files.writeString(temporary.resolve("data"), "not a directory");

        assertFailed(serve("--data", file.toString()), DATA_DIRECTORY,
                "berth: the data directory " + file + " is not a directory");
    }

    @Test
    void aDataDirectoryWhoseParentIsMissing() throws Exception {
        Path missing = temporary.resolve("typo/data");

        assertFailed(serve("--data", missing.toString()), DATA_DIRECTORY, "berth: the data directory " + missing
                + " does not exist, nor does " + missing.getParent() + " (create it, or give another --data or data-dir)");
        assertThat(missing.getParent()).doesNotExist();
    }

    @Test
    void aDataDirectoryBerthCannotWrite() throws Exception {
        assumeThat(System.getProperty("user.name")).as("root writes everywhere").isNotEqualTo("root");
        Path locked = Files.createDirectories(temporary.resolve("locked"));
        locked.toFile().setWritable(false, false);

        assertFailed(serve("--data", locked.toString()), DATA_DIRECTORY, "berth: the data directory " + locked
                + " is not writable: permission denied for " + System.getProperty("user.name"));
    }

    @Test
    void aPostgresqlServerThatIsNotThere() throws Exception {
        int closed = LoopbackPorts.free();
        Path config = config("""
                data-dir: %s
                database:
                  url: jdbc:postgresql://127.0.0.1:%d/berth
                  user: berth
                  password: secret-password
                """.formatted(data(), closed));

        BerthCommandRun run = serve("--config", config.toString());

        assertFailed(run, DATABASE_UNAVAILABLE, "berth: cannot open the PostgreSQL database 127.0.0.1:" + closed
                + "/berth (schema berth): no connection (is PostgreSQL running and reachable there?)");
        assertThat(run.out() + run.err()).doesNotContain("secret-password");
    }

    @Test
    void postgresqlRefusingTheUser() throws Exception {
        Path config = config("""
                data-dir: %s
                database:
                  url: %s
                  user: berth_nobody
                  password: wrong-password
                """.formatted(data(), PostgresqlSchema.URL));

        BerthCommandRun run = serve("--config", config.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(DATABASE_UNAVAILABLE);
        assertThat(run.err()).matches("berth: cannot open the PostgreSQL database [^ ]+ \\(schema berth\\): "
                + "(password authentication failed for user berth_nobody \\(check database.password\\)"
                + "|user berth_nobody may not connect \\(check database.user and the server's pg_hba.conf\\))\n");
        assertThat(run.showsAStackTrace()).as(run.out() + run.err()).isFalse();
        assertThat(run.out() + run.err()).doesNotContain("wrong-password");
    }

    @Test
    void aMissingTlsCertificate() throws Exception {
        Path certificate = temporary.resolve("tls.crt");
        Path key = Files.writeString(temporary.resolve("tls.key"), "not a key\n");
        Path config = config("data-dir: %s\ntls:\n  certificate: %s\n  key: %s\n".formatted(data(), certificate, key));

        assertFailed(serve("--config", config.toString()), TLS_FILES, "berth: the TLS file " + certificate + " does not exist");
    }

    @Test
    void aTlsCertificateFileWithoutACertificate() throws Exception {
        Path certificate = Files.writeString(temporary.resolve("tls.crt"), "hello\n");
        Path key = Files.writeString(temporary.resolve("tls.key"), "not a key\n");
        Path config = config("data-dir: %s\ntls:\n  certificate: %s\n  key: %s\n".formatted(data(), certificate, key));

        assertFailed(serve("--config", config.toString()), TLS_FILES,
                "berth: the TLS certificate file " + certificate + " holds no PEM CERTIFICATE block");
    }

    @Test
    void aConfigurationErrorNamesTheLine() throws Exception {
        Path config = config("""
                listen: 127.0.0.1:0
                data-dir: %s
                shutdown-grace-seconds: 30
                listen: 127.0.0.1:5000
                """.formatted(data()));

        assertFailed(serve("--config", config.toString()), CONFIGURATION,
                "berth: " + config + ": line 4: listen: duplicate key 'listen' (first at line 1; give each key once)");
    }

    @Test
    void aListenHostThatDoesNotResolve() throws Exception {
        assertFailed(serve("--listen", "no-such-host.invalid:5000", "--data", data()), CONFIGURATION,
                "berth: listen: the host no-such-host.invalid is not known (give an address such as 127.0.0.1 or a name"
                        + " this host resolves)");
    }

    @Test
    void aMissingConfigurationFile() throws Exception {
        Path missing = temporary.resolve("berth.yml");

        assertFailed(serve("--config", missing.toString()), CONFIGURATION, "berth: " + missing + ": not found");
    }

    @Test
    void anUnknownOptionIsBadUsage() throws Exception {
        BerthCommandRun run = BerthCommandRun.in(temporary, "serve", "--listne", "127.0.0.1:0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Unknown options: '--listne'");
    }

    private BerthCommandRun serve(String... options) throws Exception {
        String[] arguments = new String[options.length + 1];
        arguments[0] = "serve";
        System.arraycopy(options, 0, arguments, 1, options.length);
        return BerthCommandRun.in(temporary, arguments);
    }

    private String data() {
        return temporary.resolve("berth-data").toString();
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(temporary.resolve("berth.yml"), yaml);
    }

    private static void assertFailed(BerthCommandRun run, int exitCode, String line) {
        assertThat(run.err()).as("standard error").isEqualTo(line + "\n");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exitCode);
        assertThat(run.showsAStackTrace()).as(run.out() + run.err()).isFalse();
    }
}
