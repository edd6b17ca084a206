package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code berth maintenance on|off|status} against the database of a data directory: the switch is
 * stored there, a server started over it is read-only, and a running server follows {@code off}
 * within its refresh interval; garbage collection changes nothing while it is on.
 */
class MaintenanceCommandTest {
    private static final Duration FOLLOWS_WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path temporary;

    @Test
    void switchesTheStoredModeThatServersFollow() throws Exception {
        Path data = temporary.resolve("data");
        TestRegistry.startOn(data).close();

        Run never = maintenance("status", "--data", data.toString());
        assertThat(never.status()).isZero();
        assertThat(never.out()).contains("read-only maintenance mode: off (never switched)");

        Run on = maintenance("on", "--data", data.toString());
        assertThat(on.status()).as(on.err()).isZero();
        assertThat(on.out()).contains("read-only maintenance mode: on (switched by berth maintenance at ");
        assertThat(maintenance("status", "--data", data.toString()).out()).contains("mode: on");

        try (TestRegistry registry = TestRegistry.startOn(data)) {
            RegistryHttp http = registry.http();
            assertThat(http.post("/v2/app/blobs/uploads/").statusCode()).isEqualTo(405);

            assertThat(maintenance("off", "--data", data.toString()).status()).isZero();

            long start = System.nanoTime();
            HttpResponse<byte[]> upload;
            while ((upload = http.post("/v2/app/blobs/uploads/")).statusCode() != 202) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(RegistryHttp.text(upload)).isLessThan(FOLLOWS_WITHIN);
                Thread.sleep(50);
            }
        }
        assertThat(maintenance("status", "--data", data.toString()).out()).contains("mode: off (switched by berth maintenance");
    }

    @Test
    void garbageCollectionChangesNothingWhileTheSwitchIsOn() {
        String data = temporary.resolve("data").toString();
        TestRegistry.startOn(temporary.resolve("data")).close();
        assertThat(maintenance("on", "--data", data).status()).isZero();

        StringWriter out = new StringWriter();
        CommandLine command = BerthCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        int status = command.execute("gc", "--data", data);

        assertThat(status).isZero();
        assertThat(out.toString()).contains("garbage collection skipped: the registry is read-only");
        assertThat(maintenance("off", "--data", data).status()).isZero();
        StringWriter after = new StringWriter();
        CommandLine again = BerthCommand.commandLine();
        again.setOut(new PrintWriter(after, true));
        assertThat(again.execute("gc", "--data", data)).isZero();
        assertThat(after.toString()).startsWith("garbage collection removed");
    }

    @Test
    void anUnknownWordIsBadUsage() {
        Run run = maintenance("sideways", "--data", temporary.toString());
        assertThat(run.status()).isEqualTo(2);
    }

    record Run(int status, String out, String err) {
    }

    static Run maintenance(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = BerthCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] all = new String[arguments.length + 1];
        all[0] = "maintenance";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        int status = command.execute(all);
        return new Run(status, out.toString(), err.toString());
    }
}
