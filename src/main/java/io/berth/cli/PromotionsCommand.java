package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.metadata.PromotionFilter;
import io.berth.metadata.PromotionRecord;
import io.berth.metadata.StoredPromotion;
import io.berth.oci.Digest;
import io.berth.server.PromotionTools;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth promotions}: the promotion audit trail, newest first. */
@Command(name = "promotions", mixinStandardHelpOptions = true, description = "List promotions, newest first.")
final class PromotionsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--repository", description = "Only promotions into this repository.")
    String repository;

    @Option(names = "--source", description = "Only promotions out of this repository.")
    String source;

    @Option(names = "--digest", description = "Only promotions of this manifest.")
    String digest;

    @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws java.io.IOException {
        Optional<RegistryApi> api = RemoteOptions.api(spec, remote, System.in);
        if (api.isPresent()) {
            data.requireNoneGiven("--registry");
            JsonNode listed = api.get().get("/berth/v1/promotions", RegistryApi.query("repository", repository, "source", source,
                    "digest", digest, "n", Math.max(1, limit)));
            listed.path("promotions").forEach(PromotionsCommand::print);
            return ExitCodes.OK;
        }
        PromotionFilter filter = new PromotionFilter(Optional.ofNullable(repository), Optional.ofNullable(source),
                Optional.ofNullable(digest).map(Digest::parse), OptionalLong.empty(), Math.max(1, limit));
        List<StoredPromotion> promotions = PromotionTools.list(data.config(), filter);
        for (StoredPromotion promotion : promotions) {
            print(promotion);
        }
        return ExitCodes.OK;
    }

    /** One promotion as the registry's API describes it, printed as {@link #print(StoredPromotion)} prints a stored one. */
    static void print(JsonNode promotion) {
        boolean overridden = promotion.path("overridden").asBoolean();
        String outcome = promotion.path("outcome").asText();
        List<String> tags = new java.util.ArrayList<>();
        promotion.path("tags").forEach(tag -> tags.add(tag.asText()));
        System.out.printf("#%d %s %s %s %s@%s -> %s:%s%n", promotion.path("id").asLong(), promotion.path("at").asText(),
                outcome + (overridden ? " OVERRIDDEN" : ""), promotion.path("actor").asText(), promotion.path("source").asText(),
                promotion.path("digest").isTextual() ? promotion.path("digest").asText() : promotion.path("sourceReference").asText(),
                promotion.path("target").asText(), String.join(",", tags));
        JsonNode override = promotion.path("override");
        if (override.isObject()) {
            System.out.printf("    override by %s%s: %s%n", override.path("by").asText(), overridden ? ", past failing gates"
                    : outcome.equals("refused") ? ", refused" : ", every gate passed", override.path("reason").asText());
        }
        promotion.path("previous").properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                System.out.printf("    %s was %s%n", entry.getKey(), entry.getValue().asText());
            }
        });
        for (JsonNode gate : promotion.path("gates")) {
            System.out.printf("    [%s] %s: %s%n", gate.path("passed").asBoolean() ? "pass" : "FAIL", gate.path("gate").asText(),
                    gate.path("reason").asText("(withheld)"));
        }
    }

    /** One promotion: a summary line, the emergency override if one was asked for, then each gate's verdict. */
    static void print(StoredPromotion stored) {
        PromotionRecord promotion = stored.promotion();
        System.out.printf("#%d %s %s %s %s@%s -> %s:%s%n", stored.id(), promotion.at(),
                promotion.outcome().name().toLowerCase(Locale.ROOT) + (promotion.overridden() ? " OVERRIDDEN" : ""),
                promotion.actor(), promotion.sourceRepository(),
                promotion.sourceDigest().map(Digest::toString).orElse(promotion.sourceReference()),
                promotion.targetRepository(), String.join(",", promotion.tags()));
        promotion.overrideReason().ifPresent(reason -> System.out.printf("    override by %s%s: %s%n", promotion.actor(),
                promotion.overridden() ? ", past failing gates"
                        : promotion.outcome() == PromotionRecord.Outcome.REFUSED ? ", refused" : ", every gate passed", reason));
        promotion.previous().forEach((tag, before) -> before.ifPresent(digest ->
                System.out.printf("    %s was %s%n", tag, digest)));
        for (PromotionRecord.GateOutcome gate : promotion.gates()) {
            System.out.printf("    [%s] %s: %s%n", gate.passed() ? "pass" : "FAIL", gate.gate(), gate.reason());
        }
    }
}
