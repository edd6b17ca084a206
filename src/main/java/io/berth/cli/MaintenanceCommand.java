package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.metadata.MaintenanceSwitch;
import io.berth.server.MaintenanceTools;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth maintenance on|off|status}: the read-only maintenance switch in the configured
 * database, which every node sharing it follows ({@code docs/operations.md}, "Read-only maintenance").
 */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = {"Switch read-only maintenance mode on or off for every node sharing the database, or show it."
                + " While it is on, pushes, deletes and promotions are refused (405 UNSUPPORTED) and pulls work;"
                + " Running servers follow within a few seconds.",
                ExitCodes.SUMMARY})
final class MaintenanceCommand implements Callable<Integer> {
    /** What the command is asked to do; the constants are the words typed. */
    enum Action { on, off, status }

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Parameters(index = "0", paramLabel = "on|off|status", description = "on, off, or status.")
    Action action;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BerthConfig config = data.config();
        try {
            Optional<MaintenanceSwitch> state = switch (action) {
                case on -> Optional.of(MaintenanceTools.switchTo(config, true));
                case off -> Optional.of(MaintenanceTools.switchTo(config, false));
                case status -> MaintenanceTools.status(config);
            };
            print(state, out);
            if (action == Action.off && config.readOnly()) {
                out.println("note: this configuration says read-only: true, so a server started with it switches the"
                        + " mode on again");
            }
        } catch (io.berth.metadata.MetadataException e) {
            err.println("berth: maintenance failed: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(Optional<MaintenanceSwitch> state, PrintWriter out) {
        boolean readOnly = state.map(MaintenanceSwitch::readOnly).orElse(false);
        out.println("read-only maintenance mode: " + (readOnly ? "on" : "off")
                + state.map(value -> " (switched by " + value.changedBy() + " at " + value.changedAt() + ")")
                        .orElse(" (never switched)"));
    }
}
