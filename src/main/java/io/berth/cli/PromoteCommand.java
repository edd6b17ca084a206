package io.berth.cli;

import io.berth.metadata.StoredPromotion;
import io.berth.oci.RegistryException;
import io.berth.promotion.PromotionRefused;
import io.berth.promotion.PromotionRequest;
import io.berth.server.PromotionTools;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth promote SOURCE TARGET...}: promotes a candidate inside this registry, with the
 * configuration's namespaces and gates, no bytes copied ({@code docs/promotion.md}).
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Promote a candidate image (with its referrers) to stable tags, in one transaction.")
final class PromoteCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "REPOSITORY:TAG (resolved once) or REPOSITORY@DIGEST.")
    String source;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET", description = "REPOSITORY:TAG, one or more, in one repository.")
    List<String> targets;

    @Option(names = "--actor", description = "Who is promoting, for the audit trail (default: $USER via the command line).")
    String actor;

    @Override
    public Integer call() {
        PromotionRequest request;
        try {
            request = PromotionRequest.parse(source, targets, actor != null ? actor
                    : "cli:" + System.getProperty("user.name", "unknown"));
        } catch (IllegalArgumentException | RegistryException e) {
            System.err.println("berth: " + e.getMessage());
            return 2;
        }
        try {
            StoredPromotion promotion = PromotionTools.promote(data.config(), request);
            PromotionsCommand.print(promotion);
            return 0;
        } catch (PromotionRefused refused) {
            PromotionsCommand.print(refused.promotion());
            System.err.println("berth: " + refused.getMessage());
            return 1;
        } catch (RegistryException e) {
            System.err.println("berth: " + e.getMessage());
            return 1;
        }
    }
}
