package io.berth.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.metadata.PromotionFilter;
import io.berth.metadata.PromotionRecord;
import io.berth.metadata.StoredPromotion;
import io.berth.auth.Action;
import io.berth.auth.Principal;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.promotion.OverrideReason;
import io.berth.promotion.PromotionRefused;
import io.berth.promotion.PromotionRequest;
import io.berth.promotion.PromotionService;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * {@code /berth/v1/promotions} ({@code docs/promotion.md}, "API"):
 * <ul>
 *   <li>{@code POST} {@code {"source": "candidate/app:1.0", "targets": ["app:1.0", "app:latest"]}} —
 *       promote; 201 with the audited promotion, 200 when everything was in place already, 409 with
 *       every gate's verdict when refused; with {@code "override": "reason"}, an emergency override
 *       of the gate rules, for callers with the {@code admin} action on the target;</li>
 *   <li>{@code GET ?repository=&source=&digest=&n=&before=} — the audit trail, newest first, of the
 *       promotions whose source and target repositories the caller may both pull.</li>
 * </ul>
 */
final class PromotionResource {
    /** Refused promotion attempts that have no place in the audit trail are logged here. */
    private static final org.slf4j.Logger AUDIT = org.slf4j.LoggerFactory.getLogger("io.berth.audit.promotion");
    private static final String JSON = "application/json";
    private static final int DEFAULT_PAGE = 100;

    private final PromotionService promotions;
    private final HttpObserver observer;

    PromotionResource(PromotionService promotions, HttpObserver observer) {
        this.promotions = promotions;
        this.observer = observer;
    }

    /** Parses the body of a POST; the caller's permissions are checked on the result before {@link #promote}. */
    PromotionRequest parse(Exchange exchange, String actor) throws IOException {
        Resources.requireMethod(exchange, "POST", "GET", "HEAD");
        JsonNode body;
        try (InputStream in = exchange.body()) {
            byte[] bytes = in.readNBytes(Limits.MAX_API_REQUEST_BYTES + 1);
            if (bytes.length > Limits.MAX_API_REQUEST_BYTES) {
                throw Resources.badRequest("a promotion request is limited to " + Limits.MAX_API_REQUEST_BYTES + " bytes");
            }
            body = Exchange.JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Resources.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.path("source").isTextual() || !body.path("targets").isArray() || body.path("targets").isEmpty()) {
            throw Resources.badRequest("expected {\"source\": \"REPOSITORY:TAG or REPOSITORY@DIGEST\", \"targets\": [\"REPOSITORY:TAG\", …]}");
        }
        List<String> targets = new ArrayList<>();
        for (JsonNode target : body.path("targets")) {
            if (!target.isTextual()) {
                throw Resources.badRequest("every target must be a string REPOSITORY:TAG");
            }
            targets.add(target.asText());
        }
        JsonNode override = body.path("override");
        if (!override.isMissingNode() && !override.isNull() && !override.isTextual()) {
            throw Resources.badRequest("override must be a string: the reason for promoting although gates fail");
        }
        try {
            PromotionRequest request = PromotionRequest.parse(body.path("source").asText(), targets, actor);
            return override.isTextual() ? request.withOverride(OverrideReason.of(override.asText())) : request;
        } catch (IllegalArgumentException e) {
            throw Resources.badRequest(e.getMessage());
        }
    }

    /**
     * Lets the caller's promotion on only when it may promote on both repositories, and, with an
     * emergency override, override gates on the target; a refusal of a caller who proved who it is
     * is audited. Called once the request is read, by the API and by the web interface alike.
     */
    void authorize(Exchange exchange, AuthGate gate, AuthGate.Caller caller, PromotionRequest request) {
        List<String> repositories = List.of(request.source().value(), request.target().value());
        try {
            gate.requireAllowed(exchange, caller, Action.PROMOTE, repositories);
        } catch (RegistryException refused) {
            auditRefusedPermission(AuthGate.actor(caller), !(caller.principal() instanceof Principal.Anonymous), request,
                    repositories.stream().filter(name -> !gate.allows(caller, name, Action.PROMOTE)).toList());
            throw refused;
        }
        if (request.override().isPresent()) {
            requireOverrideAllowed(exchange, gate, caller, request);
        }
    }

    /**
     * Lets a request with an emergency override on only when the caller has the {@code admin} action
     * on the target repository (its token's scope, or the policy without a token). Otherwise the
     * attempt is recorded as refused, with a failed {@code override} verdict saying why, when the
     * caller proved who it is, and refused: {@code 403 DENIED}, or a {@code 401} challenge for an
     * anonymous caller or a token that lacks the scope. Called once {@code promote} on both
     * repositories is granted.
     */
    void requireOverrideAllowed(Exchange exchange, AuthGate gate, AuthGate.Caller caller, PromotionRequest request) {
        String target = request.target().value();
        if (gate.allows(caller, target, Action.ADMIN)) {
            return;
        }
        String reason = AuthGate.actor(caller) + " may not override promotion gates on " + target
                + ": that takes the admin action there";
        if (!(caller.principal() instanceof Principal.Anonymous)) {
            promotions.recordRefusedOverride(request, reason);
        }
        try {
            gate.requireAllowed(exchange, caller, Action.ADMIN, List.of(target));
        } catch (RegistryException refused) {
            if (refused.code() == ErrorCode.DENIED) {
                throw RegistryException.withDetail(ErrorCode.DENIED, reason, refused.detail().orElse(null));
            }
            throw refused;
        }
        throw new IllegalStateException("admin on " + target + " is both refused and granted to " + AuthGate.actor(caller));
    }

    /**
     * Promotes, and answers with the audited promotion: in full when the caller may pull both the
     * source and the target ({@code mayPull}), else {@linkplain #withheld without} what those
     * repositories hold — {@code promote} alone does not let a caller read them.
     */
    void promote(Exchange exchange, PromotionRequest request, Predicate<String> mayPull,
                 io.berth.protection.TagWriter writer) {
        boolean full = mayPull.test(request.source().value()) && mayPull.test(request.target().value());
        try {
            StoredPromotion promotion = promotions.promote(request, writer);
            int status = promotion.promotion().outcome() == PromotionRecord.Outcome.PROMOTED ? 201 : 200;
            observer.promotion(promotion.promotion().overrideReason().isPresent()
                    ? HttpObserver.PromotionOutcome.OVERRIDDEN : HttpObserver.PromotionOutcome.GRANTED);
            exchange.send(status, JSON, Exchange.toJson(full ? describe(promotion) : withheld(promotion)));
        } catch (PromotionRefused refused) {
            observer.promotion(HttpObserver.PromotionOutcome.REFUSED);
            exchange.send(409, JSON, Exchange.toJson(full ? describe(refused.promotion()) : withheld(refused.promotion())));
        }
    }

    /**
     * The promotion as a caller who may not pull both repositories sees it: the outcome, the request
     * and each gate's name and verdict, but not the source digest, what the target tags pointed at,
     * nor the gates' reasons (which quote the source's referrers, labels and age), and
     * {@code "withheld": true}.
     */
    static Map<String, Object> withheld(StoredPromotion stored) {
        Map<String, Object> entry = describe(stored);
        entry.put("digest", null);
        entry.put("previous", Map.of());
        entry.put("gates", stored.promotion().gates().stream().map(gate -> {
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("gate", gate.gate());
            verdict.put("passed", gate.passed());
            return verdict;
        }).toList());
        entry.put("withheld", true);
        return entry;
    }

    /**
     * Records a promotion refused for want of permission in the audit trail, as
     * {@code docs/promotion.md} promises, when the caller's identity was proven (a user, a robot,
     * an external issuer's token): a {@code refused} entry with a failed {@code permission} verdict.
     * An anonymous caller's attempt is only logged ({@link #logRefusal}), so that callers without
     * credentials cannot grow the database.
     *
     * @param lacking the repositories of the request the caller may not promote on
     */
    void auditRefusedPermission(String actor, boolean identified, PromotionRequest request, List<String> lacking) {
        if (identified) {
            promotions.recordRefusedPermission(request, actor + " may not promote on " + String.join(" and ", lacking));
        }
    }

    /**
     * Logs a refused promotion attempt: every {@code 401} and {@code 403}, wherever it was decided —
     * before the request was read (credentials that prove nobody, a caller granted {@code promote}
     * nowhere) or after (the repositories it names). Messages and details hold only validated
     * repository names and scopes, never what the caller sent as credentials.
     */
    void logRefusal(Exchange exchange, io.berth.oci.RegistryException refusal) {
        if (refusal.httpStatus() == 401 || refusal.httpStatus() == 403) {
            AUDIT.warn("promotion refused ({} {}) from {}: {} {}", refusal.httpStatus(), refusal.code(),
                    exchange.peerAddress().getHostAddress(), refusal.getMessage(), refusal.detail().orElse(""));
        }
    }

    /**
     * The audit trail, newest first: only promotions the caller may see, that is whose source and
     * target repositories it may both pull ({@code mayPull}).
     */
    void list(Exchange exchange, Predicate<String> mayPull) {
        Optional<String> repository = exchange.query("repository").map(name -> RepositoryName.parse(name).value());
        Optional<String> source = exchange.query("source").map(name -> RepositoryName.parse(name).value());
        Optional<Digest> digest = exchange.query("digest").map(Digest::parse);
        int limit = Math.min(exchange.intQuery("n").orElse(DEFAULT_PAGE), Limits.MAX_PAGE_SIZE);
        OptionalLong before = exchange.query("before").map(text -> {
            try {
                return OptionalLong.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw Resources.badRequest("before must be a promotion id");
            }
        }).orElse(OptionalLong.empty());
        List<Map<String, Object>> listed = new ArrayList<>();
        if (limit > 0) {
            for (StoredPromotion promotion : promotions.list(new PromotionFilter(repository, source, digest, before, limit))) {
                if (mayPull.test(promotion.promotion().sourceRepository()) && mayPull.test(promotion.promotion().targetRepository())) {
                    listed.add(describe(promotion));
                }
            }
        }
        exchange.send(200, JSON, Exchange.toJson(Map.of("promotions", listed)));
    }

    static Map<String, Object> describe(StoredPromotion stored) {
        PromotionRecord promotion = stored.promotion();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", stored.id());
        entry.put("at", promotion.at().toString());
        entry.put("actor", promotion.actor());
        entry.put("outcome", promotion.outcome().name().toLowerCase(Locale.ROOT));
        entry.put("source", promotion.sourceRepository());
        entry.put("sourceReference", promotion.sourceReference());
        entry.put("digest", promotion.sourceDigest().map(Digest::toString).orElse(null));
        entry.put("target", promotion.targetRepository());
        entry.put("tags", promotion.tags());
        Map<String, String> previous = new LinkedHashMap<>();
        promotion.previous().forEach((tag, digest) -> previous.put(tag, digest.map(Digest::toString).orElse(null)));
        entry.put("previous", previous);
        entry.put("gates", promotion.gates().stream().map(gate -> {
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("gate", gate.gate());
            verdict.put("passed", gate.passed());
            verdict.put("reason", gate.reason());
            return verdict;
        }).toList());
        entry.put("overridden", promotion.overridden());
        entry.put("override", promotion.overrideReason().map(reason -> {
            Map<String, Object> override = new LinkedHashMap<>();
            override.put("reason", reason);
            override.put("by", promotion.actor());
            return override;
        }).orElse(null));
        return entry;
    }
}
