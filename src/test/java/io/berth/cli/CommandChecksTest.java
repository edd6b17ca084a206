package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commands that work on an existing registry never create an empty database where the operator
 * forgot {@code --config} or named the wrong directory, and arguments that cannot work are refused
 * before anything is touched: one line on standard error and the documented exit status.
 */
class CommandChecksTest {
    @TempDir
    Path temporary;

    /** Each command that reads or changes an existing registry's database, as an operator types it. */
    @ParameterizedTest
    @ValueSource(strings = {"promotions", "robot list", "robot revoke builder", "mirror list", "mirror enable m1",
            "quotas", "gc", "gc --dry-run", "maintenance status", "maintenance on", "fsck", "promote app:1 stable/app:1"})
    void refusesADirectoryThatIsNotThere(String command) {
        Path missing = temporary.resolve("nothing-here");

        Run run = berth(command, "--data", missing.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.DATA_DIRECTORY);
        assertThat(run.err()).isEqualTo("berth: no Berth data directory at " + missing + " (give --config FILE or --data DIR)\n");
        assertThat(missing).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"promotions", "robot list", "mirror list", "quotas", "gc", "maintenance status", "fsck"})
    void refusesADirectoryWithoutABerthDatabase(String command) throws Exception {
        Path someDirectory = Files.createDirectories(temporary.resolve("home"));

        Run run = berth(command, "--data", someDirectory.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.DATA_DIRECTORY);
        assertThat(run.err()).isEqualTo("berth: " + someDirectory + " is not a Berth data directory: it holds no berth.db"
                + " (give --config FILE or --data DIR)\n");
        try (var files = Files.list(someDirectory)) {
            assertThat(files).as("nothing created").isEmpty();
        }
    }

    @Test
    void robotCreateMayStartANewDataDirectory() {
        Path fresh = temporary.resolve("fresh");

        Run run = berth("robot create builder", "--data", fresh.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(fresh.resolve("berth.db")).isRegularFile();
        assertThat(berth("robot list", "--data", fresh.toString()).status()).isZero();
    }

    @Test
    void aMissingConfigurationFileIsAConfigurationError() {
        Path missing = temporary.resolve("berth.yml");

        Run run = berth("promotions", "--config", missing.toString());

        assertThat(run.status()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(run.err()).isEqualTo("berth: " + missing + ": not found\n");
    }

    @Test
    void promotesOnlyToAnHttpRegistry() {
        Run run = berth("promote candidate/app:1 app:1 --to ftp://registry.example.org", "--data", temporary.toString());

        assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("berth: --to must be an http:// or https:// registry URL such as"
                + " https://registry.example.org, not ftp://registry.example.org\n");
        assertThat(PromoteCommand.isRegistryUrl(java.net.URI.create("https://registry.example.org:5000"))).isTrue();
        assertThat(PromoteCommand.isRegistryUrl(java.net.URI.create("HTTP://registry.example.org"))).isTrue();
        assertThat(PromoteCommand.isRegistryUrl(java.net.URI.create("registry.example.org"))).isFalse();
        assertThat(PromoteCommand.isRegistryUrl(java.net.URI.create("file:///srv/registry"))).isFalse();
    }

    @Test
    void addsAMirrorOnlyInARealCountry() {
        Path data = temporary.resolve("data");
        TestRegistry.startOn(data).close();

        Run unknown = berth("mirror add m1 --url https://m1.example.org/berth --country XX", "--data", data.toString());
        Run allowed = berth("mirror add m1 --url https://m1.example.org/berth --country DE --allow-country QQ",
                "--data", data.toString());
        Run real = berth("mirror add m1 --url https://m1.example.org/berth --country de", "--data", data.toString());

        assertThat(unknown.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("berth: 'XX' is not an ISO 3166-1 alpha-2 country code (such as DE, US, BR)\n");
        assertThat(allowed.status()).isEqualTo(ExitCodes.USAGE);
        assertThat(allowed.err()).contains("'QQ' is not an ISO 3166-1 alpha-2 country code");
        assertThat(real.status()).as(real.err()).isZero();
    }

    @Test
    void noProgressBarWithoutATerminal() {
        assertThat(Terminal.standardErrorIsATerminal()).as("tests run without a terminal").isFalse();
    }

    record Run(int status, String out, String err) {
    }

    static Run berth(String command, String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine commandLine = BerthCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> arguments = new ArrayList<>(List.of(command.split(" ")));
        arguments.addAll(List.of(options));
        int status = commandLine.execute(arguments.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }
}
