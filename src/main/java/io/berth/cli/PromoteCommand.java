package io.berth.cli;

import io.berth.metadata.StoredPromotion;
import io.berth.oci.RegistryException;
import io.berth.promotion.OverrideReason;
import io.berth.promotion.PromotionRefused;
import io.berth.promotion.PromotionRequest;
import io.berth.promotion.RemoteRegistry;
import io.berth.server.PromotionTools;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth promote SOURCE TARGET...}: promotes a candidate inside this registry, with the
 * configuration's namespaces and gates, no bytes copied ({@code docs/promotion.md}). Run on the
 * data directory, it acts as the operator, who may override gate rules ({@code --override REASON}).
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Promote a candidate image (with its referrers) to stable tags, in one transaction.")
final class PromoteCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "REPOSITORY:TAG (resolved once) or REPOSITORY@DIGEST.")
    String source;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET", description = "REPOSITORY:TAG, one or more, in one repository.")
    List<String> targets;

    @Option(names = "--to", paramLabel = "URL",
            description = "Promote to another registry (http(s)://host[:port]) over its API instead of inside this one.")
    java.net.URI to;

    @Option(names = "--to-user", description = "User name for the other registry.")
    String toUser;

    @Option(names = "--to-password-env", paramLabel = "VARIABLE",
            description = "Environment variable holding the password for the other registry.")
    String toPasswordVariable;

    @Option(names = "--actor", description = "Who is promoting, for the audit trail (default: $USER via the command line).")
    String actor;

    @Option(names = "--override", paramLabel = "REASON",
            description = "Emergency override: promote although gate rules fail, for this reason (kept in the audit trail)."
                    + " Namespaces, tag protection and quotas still apply.")
    String override;

    @Override
    public Integer call() {
        if (to != null && !isRegistryUrl(to)) {
            spec.commandLine().getErr().println("berth: --to must be an http:// or https:// registry URL such as"
                    + " https://registry.example.org, not " + to);
            spec.commandLine().getErr().flush();
            return ExitCodes.USAGE;
        }
        PromotionRequest request;
        try {
            request = PromotionRequest.parse(source, targets, actor != null ? actor
                    : "cli:" + System.getProperty("user.name", "unknown"));
            if (override != null) {
                request = request.withOverride(OverrideReason.of(override));
            }
        } catch (IllegalArgumentException | RegistryException e) {
            System.err.println("berth: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            StoredPromotion promotion = to == null
                    ? PromotionTools.promote(data.config(), request)
                    : PromotionTools.promoteTo(data.config(), new RemoteRegistry(to, credentials()), request);
            PromotionsCommand.print(promotion);
            return ExitCodes.OK;
        } catch (PromotionRefused refused) {
            PromotionsCommand.print(refused.promotion());
            System.err.println("berth: " + refused.getMessage());
            return ExitCodes.FAILED;
        } catch (RegistryException | RemoteRegistry.RemoteFailure | java.io.UncheckedIOException e) {
            System.err.println("berth: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** The registry API is HTTP: {@code http} or {@code https} with a host, nothing else. */
    static boolean isRegistryUrl(java.net.URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null;
    }

    private Optional<Map.Entry<String, String>> credentials() {
        if (toUser == null) {
            return Optional.empty();
        }
        String password = toPasswordVariable == null ? "" : System.getenv().getOrDefault(toPasswordVariable, "");
        return Optional.of(Map.entry(toUser, password));
    }
}
