package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.LockedDownRegistry.Caller;
import io.berth.config.PromotionConfig;
import io.berth.config.QuotaConfig;
import io.berth.config.TagProtectionConfig;
import io.berth.oci.Limits;
import io.berth.testing.RegistryHttp;
import io.berth.testing.UnsentBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emergency override of promotion gates ({@code docs/promotion.md}, "Emergency override") on a
 * {@link LockedDownRegistry} whose every target has a one-day minimum age, so that no candidate
 * pushed by the test may be promoted without one. Only a caller with {@code admin} on the target
 * may override; the override passes the gate rules, never the namespaces, tag protection
 * ({@code app:stable} is protected for {@code robot$release}) or a quota ({@code tight} holds 100
 * bytes); and every attempt is in the audit trail with its reason.
 */
class PromotionOverrideApiTest {
    private static final String REASON = "CVE-2026-0001 fix built minutes ago; the one-day minimum age cannot be waited out";

    private static LockedDownRegistry registry;
    private static Caller admin;
    private static Caller releng;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start(config -> config
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")), List.of(
                        new PromotionConfig.GateRuleConfig("**", null, null, null, null, 86_400L, null, null, null))))
                .withTagProtection(List.of(new TagProtectionConfig("app", List.of(), List.of("stable"), List.of("robot$release"))))
                .withQuotas(List.of(new QuotaConfig("tight", 100L, null))));
        admin = registry.admin();
        releng = registry.releng();
        for (io.berth.testing.TestBlob blob : List.of(LockedDownRegistry.CONFIG, LockedDownRegistry.CANDIDATE_LAYER)) {
            admin.pushBlob("candidate/tight", blob);
        }
        admin.pushManifest("candidate/tight", "1.0", LockedDownRegistry.CANDIDATE_MANIFEST);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void anAdminOverridesAFailingMinimumAgeAndTheOverrideIsAuditedAndLogged() {
        HttpResponse<byte[]> withoutOverride = releng.postJson("/berth/v1/promotions", request("app:1.0", null));
        assertThat(withoutOverride.statusCode()).as(RegistryHttp.text(withoutOverride)).isEqualTo(409);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream standardOut = System.out;
        HttpResponse<byte[]> promoted;
        System.setOut(new PrintStream(new PromotionAuditApiTest.TeeOutputStream(standardOut, log), true, StandardCharsets.UTF_8));
        try {
            promoted = admin.postJson("/berth/v1/promotions", request("app:1.0", REASON));
        } finally {
            System.setOut(standardOut);
        }

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);
        assertThat(registry.anonymous().get("/v2/app/manifests/1.0").statusCode()).isEqualTo(200);
        JsonNode answer = RegistryHttp.json(promoted);
        assertOverridden(answer);
        JsonNode listed = onlyEntry(admin.get("/berth/v1/promotions?repository=app"), "admin", "1.0");
        assertOverridden(listed);
        assertThat(listed.path("id").asLong()).isEqualTo(answer.path("id").asLong());
        String warning = log.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("[WARN]") && line.contains("emergency override")).findFirst().orElse("");
        assertThat(warning).contains("promoted with an emergency override by admin, past failing gates",
                "candidate/app@" + LockedDownRegistry.CANDIDATE_MANIFEST.digest(), "-> app:1.0",
                "failing gates: minimum age 86400 s (pushed only", "reason: " + REASON);
    }

    private static void assertOverridden(JsonNode entry) {
        assertThat(entry.path("outcome").asText()).isEqualTo("promoted");
        assertThat(entry.path("overridden").asBoolean()).isTrue();
        assertThat(entry.path("override").path("reason").asText()).isEqualTo(REASON);
        assertThat(entry.path("override").path("by").asText()).isEqualTo("admin");
        assertThat(entry.path("actor").asText()).isEqualTo("admin");
        assertThat(verdict(entry, "minimum age 86400 s").path("passed").asBoolean())
                .as("the failing gate is still judged and recorded").isFalse();
    }

    @Test
    void aReleaseEngineerWhoMayPromoteButNotAdministerIsDeniedAndTheRefusalIsRecorded() {
        HttpResponse<byte[]> refused = releng.postJson("/berth/v1/promotions", request("app:releng", REASON));

        LockedDownRegistry.assertDenied(refused);
        assertThat(RegistryHttp.text(refused)).contains("releng may not override promotion gates on app");
        assertThat(registry.anonymous().get("/v2/app/manifests/releng").statusCode()).isEqualTo(404);
        JsonNode entry = onlyEntry(admin.get("/berth/v1/promotions?repository=app"), "releng", "releng");
        assertThat(entry.path("outcome").asText()).isEqualTo("refused");
        assertThat(entry.path("overridden").asBoolean()).isFalse();
        assertThat(entry.path("override").path("reason").asText()).isEqualTo(REASON);
        assertThat(entry.path("gates")).hasSize(1);
        assertThat(entry.path("gates").get(0).path("gate").asText()).isEqualTo("override");
        assertThat(entry.path("gates").get(0).path("passed").asBoolean()).isFalse();
        assertThat(entry.path("gates").get(0).path("reason").asText())
                .isEqualTo("releng may not override promotion gates on app: that takes the admin action there");
    }

    @Test
    void withABearerTokenAnOverrideNeedsTheAdminScopeOnTheTarget() {
        String promoteOnly = LockedDownRegistry.token(admin, "repository:candidate/app:promote", "repository:app:promote");
        HttpResponse<byte[]> challenged = registry.bearer(promoteOnly).postJson("/berth/v1/promotions", request("app:token", REASON));
        registry.assertChallenged(challenged, ",scope=\"repository:app:admin\",error=\"insufficient_scope\"");
        assertThat(onlyEntry(admin.get("/berth/v1/promotions?repository=app"), "admin", "token").path("gates").get(0)
                .path("gate").asText()).isEqualTo("override");

        String withAdmin = LockedDownRegistry.token(admin, "repository:candidate/app:promote", "repository:app:admin");
        HttpResponse<byte[]> promoted = registry.bearer(withAdmin).postJson("/berth/v1/promotions", request("app:token", REASON));

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);
        assertThat(RegistryHttp.json(promoted).path("overridden").asBoolean()).isTrue();
    }

    @Test
    void anOverrideDoesNotPassTheNamespaces() {
        HttpResponse<byte[]> refused = admin.postJson("/berth/v1/promotions",
                "{\"source\":\"library/app:1.0\",\"targets\":[\"app:namespaces\"],\"override\":\"" + REASON + "\"}");

        assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(409);
        JsonNode entry = RegistryHttp.json(refused);
        assertThat(entry.path("overridden").asBoolean()).isFalse();
        assertThat(verdict(entry, "namespaces").path("passed").asBoolean()).isFalse();
        assertThat(registry.anonymous().get("/v2/app/manifests/namespaces").statusCode()).isEqualTo(404);
    }

    @Test
    void anOverrideDoesNotPassTagProtection() {
        HttpResponse<byte[]> refused = admin.postJson("/berth/v1/promotions", request("app:stable", REASON));

        assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(409);
        JsonNode entry = RegistryHttp.json(refused);
        assertThat(entry.path("outcome").asText()).isEqualTo("refused");
        assertThat(entry.path("override").path("reason").asText()).isEqualTo(REASON);
        assertThat(verdict(entry, "tag protection").path("passed").asBoolean()).isFalse();
        assertThat(verdict(entry, "minimum age 86400 s").path("passed").asBoolean()).isFalse();
        assertThat(registry.anonymous().get("/v2/app/manifests/stable").statusCode()).isEqualTo(404);
    }

    @Test
    void anOverrideDoesNotPassAQuota() {
        HttpResponse<byte[]> refused = admin.postJson("/berth/v1/promotions",
                "{\"source\":\"candidate/tight:1.0\",\"targets\":[\"tight:1.0\"],\"override\":\"" + REASON + "\"}");

        assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(409);
        JsonNode entry = RegistryHttp.json(refused);
        assertThat(verdict(entry, "quota").path("reason").asText()).contains("quota \"tight\" allows at most 100 bytes");
        assertThat(verdict(entry, "quota").path("passed").asBoolean()).isFalse();
        assertThat(admin.get("/v2/tight/manifests/1.0").statusCode()).isEqualTo(404);
    }

    @Test
    void aBlankOverlongOrControlCharacterReasonIsABadRequestAndNotRecorded() {
        String overlong = "x".repeat(Limits.MAX_OVERRIDE_REASON_CHARACTERS + 1);
        List<String> bodies = List.of(request("app:bad", "   "), request("app:bad", overlong), request("app:bad", "fix\\nforged line"),
                request("app:bad", "bidi \\u202E"), "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:bad\"],\"override\":true}");
        List<String> messages = List.of("must not be blank", "limited to 1024 characters, not 1025",
                "must not contain control characters (U+000A", "must not contain control characters (U+202E",
                "override must be a string");
        for (int i = 0; i < bodies.size(); i++) {
            HttpResponse<byte[]> refused = admin.postJson("/berth/v1/promotions", bodies.get(i));
            assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(400);
            assertThat(RegistryHttp.text(refused)).contains(messages.get(i));
        }
        assertThat(RegistryHttp.text(admin.get("/berth/v1/promotions?repository=app"))).doesNotContain("\"bad\"");
    }

    @Test
    void anAnonymousCallerWithAnOverrideIsRefusedBeforeTheBodyIsRead() throws IOException {
        assertThat(UnsentBody.statusLine(registry.uri(), "POST", "/berth/v1/promotions", Duration.ofSeconds(5),
                "Content-Type: application/json")).as("anonymous, before the body").startsWith("HTTP/1.1 401");
        registry.assertChallenged(registry.anonymous().postJson("/berth/v1/promotions", request("app:anonymous", REASON)), "");
        assertThat(RegistryHttp.text(admin.get("/berth/v1/promotions?repository=app"))).doesNotContain("anonymous");
    }

    /** A promotion of {@code candidate/app:1.0} to {@code target}, with an override for {@code reason} unless it is null. */
    private static String request(String target, String reason) {
        return "{\"source\":\"candidate/app:1.0\",\"targets\":[\"" + target + "\"]"
                + (reason == null ? "" : ",\"override\":\"" + reason + "\"") + "}";
    }

    private static JsonNode verdict(JsonNode entry, String gate) {
        for (JsonNode verdict : entry.path("gates")) {
            if (verdict.path("gate").asText().equals(gate)) {
                return verdict;
            }
        }
        throw new AssertionError("no verdict of gate " + gate + " in " + entry);
    }

    /** The one entry of {@code actor} promoting to tag {@code tag}. */
    private static JsonNode onlyEntry(HttpResponse<byte[]> response, String actor, String tag) {
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode entry : RegistryHttp.json(response).path("promotions")) {
            if (entry.path("actor").asText().equals(actor) && entry.path("tags").toString().equals("[\"" + tag + "\"]")) {
                entries.add(entry);
            }
        }
        assertThat(entries).as("entries of %s for tag %s in %s", actor, tag, RegistryHttp.text(response)).hasSize(1);
        return entries.getFirst();
    }
}
