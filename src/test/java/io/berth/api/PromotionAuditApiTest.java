package io.berth.api;

import static io.berth.api.LockedDownRegistry.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.LockedDownRegistry.Caller;
import io.berth.testing.RegistryHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promotion audit trail of a {@link LockedDownRegistry}, as {@code docs/promotion.md} promises
 * it: each caller sees only promotions whose source and target it may both pull, and an attempt
 * refused for want of the {@code promote} permission — {@code 403}, or {@code 401} for a token
 * lacking the scope — is recorded with a failed {@code permission} verdict, under the caller's name.
 * Attempts of callers who proved no identity (anonymous, wrong credentials) are refused and logged
 * without growing the trail.
 */
class PromotionAuditApiTest {
    private static final String PROMOTION = "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:1.0\"]}";

    private static LockedDownRegistry registry;
    private static Caller anonymous;
    private static Caller admin;
    private static Caller releng;
    private static Caller osbs;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start();
        anonymous = registry.anonymous();
        admin = registry.admin();
        releng = registry.releng();
        osbs = registry.osbs();
        HttpResponse<byte[]> promoted = releng.postJson("/berth/v1/promotions", PROMOTION);
        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void thePromotionOfACandidateIsListedOnlyToCallersWhoMayPullTheCandidateToo() {
        String secret = registry.createRobot("outsider");
        Caller outsider = registry.basic("robot$outsider", secret);

        assertThat(actors(releng.get("/berth/v1/promotions?repository=app"))).contains("releng");
        assertThat(actors(osbs.get("/berth/v1/promotions?repository=app"))).as("osbs pulls candidate/** and app").contains("releng");
        assertThat(actors(admin.get("/berth/v1/promotions"))).contains("releng");
        assertThat(actors(anonymous.get("/berth/v1/promotions?repository=app"))).as("candidate/** is not public").isEmpty();
        assertThat(actors(anonymous.get("/berth/v1/promotions?source=candidate/app"))).isEmpty();
        assertThat(actors(outsider.get("/berth/v1/promotions"))).as("other robots may pull app but not candidate/app").isEmpty();
    }

    @Test
    void aPromotionRefusedWith403IsInTheAuditTrail() {
        // releng may promote out of candidate/**, but private/** grants it nothing.
        HttpResponse<byte[]> refused = releng.postJson("/berth/v1/promotions",
                "{\"source\":\"candidate/app:1.0\",\"targets\":[\"private/app:403\"]}");

        LockedDownRegistry.assertDenied(refused);
        JsonNode entry = onlyEntryFor(admin.get("/berth/v1/promotions?repository=private/app"), "releng", "403");
        assertThat(entry.path("outcome").asText()).isEqualTo("refused");
        assertThat(entry.path("source").asText()).isEqualTo("candidate/app");
        assertThat(entry.path("sourceReference").asText()).isEqualTo("1.0");
        assertThat(entry.path("digest").isNull()).as("the source is not resolved for a refused caller").isTrue();
        assertThat(entry.path("gates")).hasSize(1);
        assertThat(entry.path("gates").get(0).path("gate").asText()).isEqualTo("permission");
        assertThat(entry.path("gates").get(0).path("passed").asBoolean()).isFalse();
        assertThat(entry.path("gates").get(0).path("reason").asText()).isEqualTo("releng may not promote on private/app");
        assertThat(actors(releng.get("/berth/v1/promotions?repository=private/app")))
                .as("releng may not pull private/app, so it does not see its own refusal there").isEmpty();
    }

    @Test
    void aPromotionRefusedWith401ForATokenLackingTheScopeIsInTheAuditTrail() {
        String pullOnly = token(releng, "repository:candidate/app:pull", "repository:app:promote");

        HttpResponse<byte[]> refused = registry.bearer(pullOnly).postJson("/berth/v1/promotions",
                "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:401\"]}");

        assertThat(refused.statusCode()).isEqualTo(401);
        JsonNode entry = onlyEntryFor(admin.get("/berth/v1/promotions?repository=app"), "releng", "401");
        assertThat(entry.path("outcome").asText()).isEqualTo("refused");
        assertThat(entry.path("gates").get(0).path("reason").asText()).isEqualTo("releng may not promote on candidate/app");
    }

    @Test
    void anAnonymousOrWrongPasswordAttemptIsLoggedWithoutAnEntryInTheTrail() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream standardOut = System.out;
        HttpResponse<byte[]> anonymousAttempt;
        HttpResponse<byte[]> wrongPassword;
        // The server logs to standard output (simplelogger.properties); watch it for these two requests.
        System.setOut(new PrintStream(new TeeOutputStream(standardOut, log), true, StandardCharsets.UTF_8));
        try {
            anonymousAttempt = anonymous.postJson("/berth/v1/promotions",
                    "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:anonymous\"]}");
            wrongPassword = registry.basic("releng", "wrong").postJson("/berth/v1/promotions",
                    "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:wrong-password\"]}");
        } finally {
            System.setOut(standardOut);
        }

        assertThat(anonymousAttempt.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("[WARN]")
                && line.contains("promotion refused (401 UNAUTHORIZED) from 127.0.0.1")).count()).isEqualTo(2);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("wrong");
        for (JsonNode entry : RegistryHttp.json(admin.get("/berth/v1/promotions?repository=app")).path("promotions")) {
            assertThat(entry.path("tags").toString()).doesNotContain("anonymous").doesNotContain("wrong-password");
        }
    }

    /** Writes to both streams. */
    static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }

    private static List<String> actors(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        List<String> actors = new ArrayList<>();
        RegistryHttp.json(response).path("promotions").forEach(entry -> actors.add(entry.path("actor").asText()));
        return actors;
    }

    /** The one entry of {@code actor} promoting to tag {@code tag}. */
    private static JsonNode onlyEntryFor(HttpResponse<byte[]> response, String actor, String tag) {
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
