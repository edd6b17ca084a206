package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.LockedDownRegistry.Caller;
import io.berth.testing.RegistryHttp;
import io.berth.testing.UnsentBody;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail and robot administration over the API, under the policy of a
 * {@link LockedDownRegistry}: every push, login and robot change is in the trail with who and from
 * where; each caller sees only the entries it may; only admins manage robots and run garbage
 * collection, refused before any body is read. A rotated secret, and every token issued before the
 * rotation, stop working; a revoked robot's name can be given to a new robot.
 */
class AuditAndRobotsApiTest {
    private static LockedDownRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        registry = LockedDownRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static List<JsonNode> entries(Caller caller, String query) {
        HttpResponse<byte[]> response = caller.get("/berth/v1/audit" + query);
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        RegistryHttp.json(response).path("entries").forEach(entries::add);
        return entries;
    }

    private static List<String> pushedRepositories(Caller caller) {
        return entries(caller, "?action=push").stream().map(entry -> entry.path("repository").asText()).distinct().sorted().toList();
    }

    @Test
    void everyPushIsAuditedWithWhoAndFromWhereAndEachCallerSeesOnlyWhatItMayPull() {
        registry.assertChallenged(registry.anonymous().get("/berth/v1/audit"), "");

        assertThat(pushedRepositories(registry.admin())).containsExactly("candidate/app", "library/app", "private/secret");
        assertThat(pushedRepositories(registry.releng())).containsExactly("candidate/app", "library/app");
        assertThat(pushedRepositories(registry.osbs())).containsExactly("candidate/app", "library/app");
        JsonNode push = entries(registry.admin(), "?action=push&repository=candidate/app").getFirst();
        assertThat(push.path("actor").asText()).isEqualTo("robot$osbs");
        assertThat(push.path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(push.path("detail").path("digest").asText()).isEqualTo(LockedDownRegistry.CANDIDATE_MANIFEST.digest().toString());
        assertThat(push.path("detail").path("tags").get(0).asText()).isEqualTo("1.0");
    }

    @Test
    void failedAndSucceededLoginsAreAuditedAndSuccessesOnlyOncePerNameAndAddress() {
        registry.basic("auditor-who-does-not-exist", "wrong").get("/v2/");
        registry.admin().get("/v2/");
        registry.admin().get("/v2/");

        List<JsonNode> failed = entries(registry.admin(), "?action=login.failed&actor=auditor-who-does-not-exist");
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(entries(registry.admin(), "?action=login.succeeded&actor=admin")).hasSize(1);
        assertThat(entries(registry.releng(), "?action=login&actor=auditor-who-does-not-exist"))
                .as("a failed login is no repository's: only admins see another's").isEmpty();
        assertThat(entries(registry.releng(), "?action=login&actor=releng")).as("one's own logins").isNotEmpty();
        HttpResponse<byte[]> badAction = registry.admin().get("/berth/v1/audit?action=pull");
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(registry.admin().get("/berth/v1/audit?n=0").statusCode()).isEqualTo(400);
        assertThat(registry.admin().get("/berth/v1/audit?since=yesterday").statusCode()).isEqualTo(400);
    }

    @Test
    void pagesFollowTheNextCursorToTheEnd() {
        List<Long> ids = new ArrayList<>();
        String query = "?n=2";
        for (int page = 0; page < 100; page++) {
            HttpResponse<byte[]> response = registry.admin().get("/berth/v1/audit" + query);
            JsonNode body = RegistryHttp.json(response);
            body.path("entries").forEach(entry -> ids.add(entry.path("id").asLong()));
            if (body.path("next").isNull()) {
                assertThat(response.headers().firstValue("Link")).isEmpty();
                break;
            }
            assertThat(response.headers().firstValue("Link")).hasValue("</berth/v1/audit?before=" + body.path("next").asLong()
                    + "&n=2>; rel=\"next\"");
            query = "?n=2&before=" + body.path("next").asLong();
        }
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates().hasSizeGreaterThan(3);
    }

    @Test
    void onlyAdminsManageRobotsAndRunGarbageCollectionRefusedBeforeTheBody() throws IOException {
        String robot = "{\"name\": \"sneaky\"}";
        registry.assertChallenged(registry.anonymous().postJson("/berth/v1/robots", robot), "");
        for (Caller caller : new Caller[] {registry.releng(), registry.osbs()}) {
            LockedDownRegistry.assertDenied(caller.postJson("/berth/v1/robots", robot));
            LockedDownRegistry.assertDenied(caller.get("/berth/v1/robots"));
            LockedDownRegistry.assertDenied(caller.post("/berth/v1/robots/osbs/secret"));
            LockedDownRegistry.assertDenied(caller.delete("/berth/v1/robots/osbs"));
            LockedDownRegistry.assertDenied(caller.post("/berth/v1/gc"));
        }
        String releng = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                ("releng:" + LockedDownRegistry.RELENG_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(UnsentBody.statusLine(registry.uri(), "POST", "/berth/v1/robots", Duration.ofSeconds(5),
                "Content-Type: application/json", releng)).as("refused before the body").startsWith("HTTP/1.1 403");
        assertThat(UnsentBody.statusLine(registry.uri(), "POST", "/berth/v1/robots", Duration.ofSeconds(5),
                "Content-Type: application/json")).as("anonymous, before the body").startsWith("HTTP/1.1 401");
        assertThat(registry.admin().get("/berth/v1/robots").statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.text(registry.admin().get("/berth/v1/robots"))).contains("\"osbs\"").doesNotContain("$2");
    }

    @Test
    void badRobotRequestsAreRefusedWithTheirReason() {
        Caller admin = registry.admin();
        assertThat(admin.postJson("/berth/v1/robots", "{\"name\": \"Bad Name\"}").statusCode()).isEqualTo(400);
        assertThat(admin.postJson("/berth/v1/robots", "not json").statusCode()).isEqualTo(400);
        assertThat(admin.postJson("/berth/v1/robots", "{\"name\": 7}").statusCode()).isEqualTo(400);
        assertThat(admin.postJson("/berth/v1/robots", "{\"name\": \"big\", \"description\": \"" + "x".repeat(5000) + "\"}")
                .statusCode()).isEqualTo(413);
        assertThat(admin.postJson("/berth/v1/robots", "{\"name\": \"long\", \"description\": \"" + "x".repeat(300) + "\"}")
                .statusCode()).isEqualTo(400);
        assertThat(admin.post("/berth/v1/robots/ghost/secret").statusCode()).isEqualTo(404);
        assertThat(admin.delete("/berth/v1/robots/ghost").statusCode()).isEqualTo(404);
        assertThat(admin.delete("/berth/v1/robots/%0d%0aX").statusCode()).as("control characters in the path").isIn(400, 404);
        assertThat(admin.get("/berth/v1/robots/osbs").statusCode()).isEqualTo(405);
    }

    @Test
    void aRotatedSecretAndTheTokensIssuedBeforeItStopWorkingAndARevokedNameCanBeReused() throws InterruptedException {
        Caller admin = registry.admin();
        HttpResponse<byte[]> created = admin.postJson("/berth/v1/robots", "{\"name\": \"scanner\", \"description\": \"CVE scans\"}");
        assertThat(created.statusCode()).as(RegistryHttp.text(created)).isEqualTo(201);
        assertThat(RegistryHttp.json(created).path("username").asText()).isEqualTo("robot$scanner");
        String first = RegistryHttp.json(created).path("secret").asText();
        assertThat(admin.postJson("/berth/v1/robots", "{\"name\": \"scanner\"}").statusCode()).as("an active robot's name").isEqualTo(409);
        String oldToken = LockedDownRegistry.token(registry.basic("robot$scanner", first), "repository:library/app:pull");
        assertThat(registry.bearer(oldToken).get("/v2/library/app/tags/list").statusCode()).isEqualTo(200);
        Thread.sleep(1100); // a token's iat has whole seconds: rotate in a later second than the token was issued

        HttpResponse<byte[]> rotated = admin.post("/berth/v1/robots/scanner/secret");

        assertThat(rotated.statusCode()).as(RegistryHttp.text(rotated)).isEqualTo(200);
        String second = RegistryHttp.json(rotated).path("secret").asText();
        assertThat(registry.basic("robot$scanner", first).get("/v2/").statusCode()).as("the old secret").isEqualTo(401);
        assertThat(registry.bearer(oldToken).get("/v2/library/app/tags/list").statusCode()).as("a token from before").isEqualTo(401);
        assertThat(registry.basic("robot$scanner", second).get("/v2/").statusCode()).isEqualTo(200);

        assertThat(admin.delete("/berth/v1/robots/scanner").statusCode()).isEqualTo(200);
        assertThat(registry.basic("robot$scanner", second).get("/v2/").statusCode()).isEqualTo(401);
        HttpResponse<byte[]> again = admin.postJson("/berth/v1/robots", "{\"name\": \"scanner\"}");
        assertThat(again.statusCode()).as("a revoked robot's name").isEqualTo(201);
        String third = RegistryHttp.json(again).path("secret").asText();
        assertThat(registry.basic("robot$scanner", second).get("/v2/").statusCode()).isEqualTo(401);
        assertThat(registry.basic("robot$scanner", third).get("/v2/").statusCode()).isEqualTo(200);

        List<String> changes = entries(admin, "?action=robot").stream()
                .filter(entry -> entry.path("detail").path("robot").asText().equals("scanner"))
                .map(entry -> entry.path("action").asText() + (entry.path("detail").path("replaces_revoked").asBoolean() ? "+reuse" : ""))
                .toList();
        assertThat(changes).containsExactly("robot.created+reuse", "robot.revoked", "robot.rotated", "robot.created");
        assertThat(entries(admin, "?action=robot").getFirst().path("actor").asText()).isEqualTo("admin");
    }

    @Test
    void concurrentCreationsOfOneNameMakeExactlyOneRobot() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Callable<Integer> create = () -> registry.admin().postJson("/berth/v1/robots", "{\"name\": \"racer\"}").statusCode();
                statuses.add(pool.submit(create));
            }
            List<Integer> answers = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answers.add(status.get());
            }
            assertThat(answers).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAdminRunsGarbageCollectionOrADryRun() {
        HttpResponse<byte[]> dryRun = registry.admin().post("/berth/v1/gc?dry-run=true");
        assertThat(dryRun.statusCode()).as(RegistryHttp.text(dryRun)).isEqualTo(200);
        assertThat(RegistryHttp.json(dryRun).path("dry-run").asBoolean()).isTrue();
        assertThat(RegistryHttp.json(dryRun).has("blobs")).isTrue();

        HttpResponse<byte[]> pass = registry.admin().post("/berth/v1/gc");

        assertThat(pass.statusCode()).as(RegistryHttp.text(pass)).isEqualTo(200);
        assertThat(RegistryHttp.json(pass).path("summary").asText()).startsWith("garbage collection");
        assertThat(registry.admin().post("/berth/v1/gc?dry-run=maybe").statusCode()).isEqualTo(400);
        assertThat(registry.admin().get("/berth/v1/gc").statusCode()).isEqualTo(405);
    }
}
