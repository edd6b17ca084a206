package io.berth.api;

import static io.berth.api.LockedDownRegistry.PUBLIC_LAYER;
import static io.berth.api.LockedDownRegistry.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.LockedDownRegistry.Caller;
import io.berth.testing.RegistryHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth's own endpoints under the policy of a {@link LockedDownRegistry}: the mirror list shows a
 * private mirror to registry admins only, mirror choices and crawls are for admins only, and a
 * promotion needs the {@code promote} permission on its source and on every target, whether the
 * caller sends basic credentials or a token (whose scopes must then name both repositories).
 */
class BerthApiAuthTest {
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
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theMirrorListShowsPrivateMirrorsToRegistryAdminsOnly() {
        for (Caller caller : List.of(anonymous, releng, osbs)) {
            HttpResponse<byte[]> response = caller.get("/berth/v1/mirrors");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(RegistryHttp.json(response).path("mirrors")).extracting(node -> node.path("name").asText())
                    .containsExactly("public-mirror");
        }
        assertThat(RegistryHttp.json(admin.get("/berth/v1/mirrors")).path("mirrors"))
                .extracting(node -> node.path("name").asText()).containsExactly("campus-mirror", "public-mirror");
    }

    @Test
    void mirrorChoicesAndCrawlsAreForRegistryAdminsOnly() {
        String choice = "/berth/v1/mirrors/choice?client=10.99.1.1&repository=library/app&digest=" + PUBLIC_LAYER.digest();
        registry.assertChallenged(anonymous.get(choice), "");
        registry.assertChallenged(anonymous.post("/berth/v1/mirrors/crawl"), "");
        for (Caller caller : List.of(releng, osbs)) {
            assertThat(caller.get(choice).statusCode()).isEqualTo(403);
            assertThat(RegistryHttp.errorCode(caller.get(choice))).isEqualTo("DENIED");
            assertThat(caller.post("/berth/v1/mirrors/crawl").statusCode()).isEqualTo(403);
        }
        HttpResponse<byte[]> answered = admin.get(choice);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(RegistryHttp.json(answered).path("source").asText())
                .as("the layer was never exported, so Berth serves it").isEqualTo("registry");
        assertThat(admin.post("/berth/v1/mirrors/crawl").statusCode()).isEqualTo(200);
    }

    @Test
    void promotionNeedsThePromotePermissionOnSourceAndTarget() {
        String request = "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:1.0\"]}";
        // The policy grants anonymous callers promote nowhere, so they are refused before the body is read.
        registry.assertChallenged(anonymous.postJson("/berth/v1/promotions", request), "");
        HttpResponse<byte[]> robot = osbs.postJson("/berth/v1/promotions", request);
        assertThat(robot.statusCode()).as("the build robot pushes candidates but does not promote them").isEqualTo(403);
        assertThat(RegistryHttp.errorCode(robot)).isEqualTo("DENIED");
        HttpResponse<byte[]> intoPrivate = releng.postJson("/berth/v1/promotions",
                "{\"source\":\"candidate/app:1.0\",\"targets\":[\"private/app:1.0\"]}");
        assertThat(intoPrivate.statusCode()).as("private/** grants releng nothing").isEqualTo(403);

        HttpResponse<byte[]> promoted = releng.postJson("/berth/v1/promotions", request);

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isIn(200, 201);
        assertThat(RegistryHttp.json(promoted).path("actor").asText()).isEqualTo("releng");
        assertThat(anonymous.get("/v2/app/manifests/1.0").statusCode()).as("stable is public").isEqualTo(200);
        assertThat(RegistryHttp.json(releng.get("/berth/v1/promotions?repository=app")).path("promotions"))
                .as("releng may pull both candidate/app and app").isNotEmpty();
        assertThat(RegistryHttp.json(anonymous.get("/berth/v1/promotions?repository=app")).path("promotions"))
                .as("anyone may pull app, but not candidate/app").isEmpty();
    }

    @Test
    void withABearerTokenPromotionNeedsThePromoteScopeOnBothRepositories() {
        String request = "{\"source\":\"candidate/app:1.0\",\"targets\":[\"app:2.0\"]}";
        String pullOnly = token(releng, "repository:candidate/app:pull");
        HttpResponse<byte[]> refused = registry.bearer(pullOnly).postJson("/berth/v1/promotions", request);
        registry.assertChallenged(refused,
                ",scope=\"repository:candidate/app:promote repository:app:promote\",error=\"insufficient_scope\"");

        String promoteBoth = token(releng, "repository:candidate/app:promote", "repository:app:promote");
        HttpResponse<byte[]> promoted = registry.bearer(promoteBoth).postJson("/berth/v1/promotions", request);

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isIn(200, 201);
        assertThat(RegistryHttp.json(promoted).path("actor").asText()).isEqualTo("releng");
    }
}
