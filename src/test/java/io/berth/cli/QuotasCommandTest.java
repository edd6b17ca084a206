package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code berth quotas --config FILE}: each configured quota with its usage, read from the database. */
class QuotasCommandTest {
    @TempDir
    Path temporary;

    @Test
    void listsEachQuotaWithItsUsageAndLimits() throws Exception {
        Path data = temporary.resolve("data");
        Path config = temporary.resolve("berth.yml");
        Files.writeString(config, """
                data-dir: %s
                quotas:
                  - repositories: "team-a/**"
                    max-bytes: 1048576
                  - repositories: "scratch/*"
                    max-repositories: 10
                """.formatted(data));
        TestBlob layer = TestBlob.random(3000, 5);
        try (TestRegistry registry = TestRegistry.startOn(data)) {
            registry.http().pushBlob("team-a/app", layer.content());
            registry.http().pushBlob("team-a/tool", layer.content());
        }

        Run run = quotas("--config", config.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                team-a/**  bytes 3000 of 1048576  repositories 2 of unlimited
                scratch/*  bytes 0 of unlimited  repositories 0 of 10
                """);
    }

    @Test
    void saysSoWhenNoQuotaIsConfigured() {
        TestRegistry.startOn(temporary.resolve("empty")).close();
        Run run = quotas("--data", temporary.resolve("empty").toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("no quotas are configured\n");
    }

    record Run(int status, String out, String err) {
    }

    static Run quotas(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = BerthCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] all = new String[arguments.length + 1];
        all[0] = "quotas";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        int status = command.execute(all);
        return new Run(status, out.toString(), err.toString());
    }
}
