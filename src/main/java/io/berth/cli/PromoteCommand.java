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

    @Mixin
    RemoteOptions remote;

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
    public Integer call() throws java.io.IOException {
        Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
        if (api.isPresent()) {
            return promoteRemotely(api.get());
        }
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

    /**
     * Promotes over the registry's API as the logged-in caller (who must be allowed to promote
     * there, and be an admin on the target for an override); the registry audits it under that name.
     */
    private int promoteRemotely(RegistryApi api) {
        data.requireNoneGiven("--registry");
        if (to != null || actor != null) {
            throw new IllegalArgumentException("--to and --actor work on the data directory; with --registry the registry"
                    + " promotes inside itself, as the user you log in as");
        }
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("source", source);
        body.put("targets", targets);
        if (override != null) {
            body.put("override", override);
        }
        try {
            PromotionsCommand.print(api.post("/berth/v1/promotions", body));
            return ExitCodes.OK;
        } catch (RegistryApi.Failure refused) {
            if (refused.status() == 409 && refused.body().has("outcome")) {
                PromotionsCommand.print(refused.body());
                System.err.println("berth: promotion refused by the registry's gates");
                return ExitCodes.FAILED;
            }
            throw refused;
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
