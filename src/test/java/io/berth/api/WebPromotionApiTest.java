package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.ReferrerConfig;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The release engineers' side of the web interface over HTTP, under {@link LockedDownRegistry}'s
 * policy and a gate that asks for a signature referrer: signing in with a Berth user, the session
 * cookie and its CSRF token, a candidate's failing gate and its reason, promoting through the same
 * checks and audit trail as the API, and the history.
 */
class WebPromotionApiTest {
    private static final String SIGNATURE = "application/vnd.example.signature.v1+json";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private LockedDownRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws Exception {
        PromotionConfig promotion = new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, List.of(new ReferrerConfig(SIGNATURE, null)), null, null,
                        null, null, null, null)));
        registry = LockedDownRegistry.start(config -> config.withPromotion(promotion));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aReleaseEngineerSignsInSeesTheFailingGateAttachesTheSignaturePromotesAndSeesTheHistory() {
        String session = signIn("releng", LockedDownRegistry.RELENG_PASSWORD);
        RegistryHttp releng = http.withHeader("Cookie", session);

        String blocked = RegistryHttp.text(releng.get("/ui/promotions"));
        assertThat(blocked).contains("candidate/app:1.0", "app:1.0", "blocked", "Signed in as <strong>releng</strong>")
                .contains("<td>referrer " + SIGNATURE + "</td><td>fails</td><td>no referrer of type " + SIGNATURE + "</td>");

        attachSignature();
        String ready = RegistryHttp.text(releng.get("/ui/promotions"));
        assertThat(ready).contains(">ready<").doesNotContain(">blocked<");

        HttpResponse<byte[]> promoted = postForm(releng, "/ui/promotions",
                Map.of("csrf", csrf(ready), "source", "candidate/app:1.0", "target", "app:1.0"));

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(303);
        assertThat(promoted.headers().firstValue("Location")).hasValue("/ui/promotions/history");
        assertThat(http.get("/v2/app/manifests/1.0").statusCode()).isEqualTo(200);
        String history = RegistryHttp.text(releng.get("/ui/promotions/history"));
        assertThat(history).contains("<td>releng</td>", "candidate/app:1.0 → app:1.0", "promoted");
        assertThat(RegistryHttp.text(registry.releng().get("/berth/v1/promotions"))).as("the API's audit trail")
                .contains("\"actor\":\"releng\"", "\"outcome\":\"promoted\"");
    }

    @Test
    void aPromotionTheGatesRefuseIsAuditedAndShownWithItsReason() {
        RegistryHttp releng = http.withHeader("Cookie", signIn("releng", LockedDownRegistry.RELENG_PASSWORD));
        String page = RegistryHttp.text(releng.get("/ui/promotions"));

        HttpResponse<byte[]> refused = postForm(releng, "/ui/promotions",
                Map.of("csrf", csrf(page), "source", "candidate/app:1.0", "target", "app:1.0"));

        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(http.get("/v2/app/manifests/1.0").statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.text(releng.get("/ui/promotions/history"))).contains("refused", "referrer " + SIGNATURE + ": fails — no referrer of type " + SIGNATURE);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrictAndAWrongPasswordSetsNone() {
        HttpResponse<byte[]> signedIn = postForm(http, "/ui/sign-in",
                Map.of("username", "releng", "password", LockedDownRegistry.RELENG_PASSWORD));
        HttpResponse<byte[]> wrong = postForm(http, "/ui/sign-in", Map.of("username", "releng", "password", "guess"));

        assertThat(signedIn.headers().firstValue("Set-Cookie")).get().asString()
                .startsWith("berth_session=").contains("HttpOnly", "SameSite=Strict", "Path=/");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(RegistryHttp.text(wrong)).contains("do not match");
    }

    @Test
    void promotingNeedsTheSessionsCsrfTokenASessionAndTheSameOrigin() {
        RegistryHttp releng = http.withHeader("Cookie", signIn("releng", LockedDownRegistry.RELENG_PASSWORD));
        String token = csrf(RegistryHttp.text(releng.get("/ui/promotions")));
        attachSignature();
        Map<String, String> form = Map.of("source", "candidate/app:1.0", "target", "app:1.0");

        assertThat(postForm(releng, "/ui/promotions", form).statusCode()).as("no token").isEqualTo(403);
        assertThat(postForm(releng, "/ui/promotions", with(form, "csrf", token + "x")).statusCode()).as("wrong token").isEqualTo(403);
        assertThat(postForm(releng.withHeader("Origin", "https://evil.example"), "/ui/promotions", with(form, "csrf", token))
                .statusCode()).as("another origin").isEqualTo(403);
        assertThat(postForm(http, "/ui/promotions", with(form, "csrf", token)).statusCode()).as("no session").isEqualTo(403);
        assertThat(postForm(registry.releng().http().withHeader("Authorization", basic("releng")), "/ui/promotions",
                with(form, "csrf", token)).statusCode()).as("Basic credentials, which a browser sends by itself").isEqualTo(403);
        assertThat(http.get("/v2/app/manifests/1.0").statusCode()).as("nothing was promoted").isEqualTo(404);
    }

    @Test
    void aUserWhoMayNotPromoteCannotEvenSendTheForm() {
        RegistryHttp admin = http.withHeader("Cookie", signIn("intern", "intern-password"));
        String page = RegistryHttp.text(admin.get("/ui/promotions"));

        HttpResponse<byte[]> refused = postForm(admin, "/ui/promotions",
                Map.of("csrf", csrf(page), "source", "candidate/app:1.0", "target", "app:1.0"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(page).doesNotContain("candidate/app", "name=\"source\"");
    }

    @Test
    void aRobotThatMayPullCandidatesButNotPromoteSeesTheirVerdictsWithoutAPromoteForm() {
        RegistryHttp robot = http.withHeader("Cookie", signIn("robot$osbs", registry.osbsSecret()));

        String page = RegistryHttp.text(robot.get("/ui/promotions"));

        assertThat(page).contains("candidate/app:1.0", "blocked").doesNotContain("name=\"source\"");
    }

    @Test
    void signingOutForgetsTheCookie() {
        RegistryHttp releng = http.withHeader("Cookie", signIn("releng", LockedDownRegistry.RELENG_PASSWORD));
        String token = csrf(RegistryHttp.text(releng.get("/")));

        HttpResponse<byte[]> out = postForm(releng, "/ui/sign-out", Map.of("csrf", token));

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie")).get().asString().startsWith("berth_session=;").contains("Max-Age=0");
    }

    @Test
    void anOversizedOrMalformedFormIsRefusedAndAnonymousVisitorsSeeNoCandidates() {
        HttpResponse<byte[]> oversized = postForm(http, "/ui/sign-in", Map.of("username", "x".repeat(10_000), "password", "y"));
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(http.send(http.request("/ui/sign-in").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode()).isEqualTo(403);
        assertThat(RegistryHttp.text(http.get("/ui/promotions"))).doesNotContain("candidate/app").contains("No candidate");
        assertThat(http.get("/ui/promotions/history?before=x").statusCode()).isEqualTo(404);
    }

    /** Signs in and answers the {@code Cookie} header value of the session. */
    private String signIn(String user, String password) {
        HttpResponse<byte[]> response = postForm(http, "/ui/sign-in", Map.of("username", user, "password", password));
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(303);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private void attachSignature() {
        TestBlob subject = LockedDownRegistry.CANDIDATE_MANIFEST;
        TestBlob empty = TestBlob.of("{}");
        TestBlob payload = TestBlob.random(64, 9);
        TestBlob signature = ManifestJson.ociImage(empty, payload).configMediaType(MediaTypes.OCI_EMPTY)
                .artifactType(SIGNATURE).subject(subject, MediaTypes.OCI_MANIFEST).build();
        LockedDownRegistry.Caller robot = registry.osbs();
        robot.pushBlob("candidate/app", empty);
        robot.pushBlob("candidate/app", payload);
        robot.pushManifest("candidate/app", signature.digest().toString(), signature);
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF token on the page").isTrue();
        return matcher.group(1);
    }

    private static Map<String, String> with(Map<String, String> form, String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(form);
        more.put(name, value);
        return more;
    }

    private static String basic(String user) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + LockedDownRegistry.RELENG_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> postForm(RegistryHttp client, String path, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return client.send(client.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
