package io.berth.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.BerthCommandRun;
import io.berth.testing.BerthProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaged jar says about itself: the version and commit it was built from, the start-up
 * line naming what the server runs on, log timestamps in the access log's form, and commands run
 * from cron that neither draw progress bars nor create a registry where none was named.
 */
class VersionAndStartupLineIT {
    private static final String VERSION = "\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?";
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @TempDir
    Path temporary;

    @Test
    void theVersionNamesTheCommitTheJarWasBuiltFrom() throws Exception {
        BerthCommandRun run = BerthCommandRun.in(temporary, "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("berth " + VERSION + " \\(commit [0-9a-f]{7,40}, built \\d{4}-\\d{2}-\\d{2}\\)\n");
    }

    @Test
    void theStartupLineNamesVersionAddressStorageDatabaseAndAuthentication() throws Exception {
        Path data = temporary.resolve("data");
        try (BerthProcess berth = BerthProcess.start(data, List.of())) {
            String startup = berth.output().lines().filter(line -> line.contains("is serving the registry API")).findFirst()
                    .orElseThrow();

            assertThat(startup).matches(TIMESTAMP + " \\[INFO\\] BerthServer - Berth " + VERSION
                    + " \\(commit [0-9a-f]{7,40}, built [0-9-]{10}\\) is serving the registry API at "
                    + java.util.regex.Pattern.quote(berth.uri() + "; storage filesystem " + data.toRealPath()
                    + ", database SQLite " + data.toRealPath().resolve("berth.db") + ", authentication off"));
        }
    }

    @Test
    void adminCommandsWithoutDataCreateNothingInTheWorkingDirectory() throws Exception {
        BerthCommandRun run = BerthCommandRun.in(temporary, "promotions");

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).isEqualTo("berth: no Berth data directory at ./berth-data (give --config FILE or --data DIR)\n");
        assertThat(run.showsAStackTrace()).isFalse();
        try (var files = Files.list(temporary)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theMirrorExportDrawsNoProgressBarForCron() throws Exception {
        Path data = temporary.resolve("data");
        assertThat(BerthCommandRun.in(temporary, "robot", "create", "exporter", "--data", data.toString()).exitCode()).isZero();

        BerthCommandRun run = BerthCommandRun.in(temporary, "mirror", "export", temporary.resolve("tree").toString(),
                "--data", data.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("\r").doesNotContain("[#").doesNotContain("blobs  ");
        assertThat(run.out()).startsWith("mirror tree ");
    }
}
