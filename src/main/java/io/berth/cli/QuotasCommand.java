package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.registry.QuotaUsage;
import io.berth.server.QuotaTools;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code berth quotas}: each quota of the configuration with its limits and what its repositories
 * hold now ({@code docs/operations.md}, "Quotas").
 */
@Command(name = "quotas", mixinStandardHelpOptions = true,
        description = {"List the configured quotas: for each pattern, the bytes and repositories in use and the limits.",
                ExitCodes.SUMMARY})
final class QuotasCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BerthConfig config = data.config();
        List<QuotaUsage> usage;
        try {
            usage = QuotaTools.usage(config);
        } catch (io.berth.metadata.MetadataException e) {
            err.println("berth: quotas failed: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        if (usage.isEmpty()) {
            out.println("no quotas are configured");
        }
        for (QuotaUsage quota : usage) {
            out.printf("%s  bytes %d of %s  repositories %d of %s%n", quota.quota().repositories().pattern(), quota.bytes(),
                    limit(quota.quota().maxBytes()), quota.repositories(), limit(quota.quota().maxRepositories()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String limit(OptionalLong limit) {
        return limit.isPresent() ? Long.toString(limit.getAsLong()) : "unlimited";
    }
}
