package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web interface's browse pages over HTTP, under {@code examples/locked-down.yml}'s policy
 * ({@link LockedDownRegistry}): anonymous callers see only what they may pull, a repository they
 * may not pull is answered exactly like one that does not exist, and everything a page writes is
 * escaped.
 */
class WebInterfaceApiTest {
    private static final TestBlob ARM_CONFIG = TestBlob.of(
            "{\"architecture\":\"arm64\",\"variant\":\"v8\",\"os\":\"linux\",\"created\":\"2026-11-30T08:15:00Z\","
                    + "\"config\":{\"Labels\":{\"org.opencontainers.image.title\":\"<b>tools</b>\"}}}");
    private static final TestBlob TOOLS_LAYER = TestBlob.random(2048, 11);
    private static final TestBlob TOOLS_MANIFEST = ManifestJson.ociImage(ARM_CONFIG, TOOLS_LAYER)
            .annotation("org.example.note", "<script>alert(1)</script>").build();
    private static final TestBlob SIGNATURE = ManifestJson.ociImage(TestBlob.of("{}"), TestBlob.random(100, 12))
            .configMediaType(MediaTypes.OCI_EMPTY).artifactType("application/vnd.example.signature")
            .subject(TOOLS_MANIFEST, MediaTypes.OCI_MANIFEST).build();
    private static final int TAGS = 27;

    private static LockedDownRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        registry = LockedDownRegistry.start();
        LockedDownRegistry.Caller admin = registry.admin();
        for (TestBlob blob : List.of(ARM_CONFIG, TOOLS_LAYER)) {
            admin.pushBlob("library/tools", blob);
        }
        admin.pushManifest("library/tools", "2.1", TOOLS_MANIFEST);
        admin.pushBlob("library/tools", TestBlob.of("{}"));
        admin.pushBlob("library/tools", TestBlob.random(100, 12));
        admin.pushManifest("library/tools", SIGNATURE.digest().toString(), SIGNATURE);
        for (TestBlob blob : List.of(LockedDownRegistry.CONFIG, LockedDownRegistry.PUBLIC_LAYER)) {
            admin.pushBlob("library/many", blob);
        }
        for (int i = 0; i < TAGS; i++) {
            admin.pushManifest("library/many", String.format("v%02d", i), LockedDownRegistry.PUBLIC_MANIFEST);
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void anonymousCallersSeeOnlyTheRepositoriesTheyMayPull() {
        HttpResponse<byte[]> page = registry.anonymous().get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(RegistryHttp.text(page)).contains(">library/app</a>", ">library/tools</a>")
                .doesNotContain("candidate/app", "private/secret");
    }

    @Test
    void aReleaseEngineerAlsoSeesTheCandidatesButNotWhatOnlyAdminsMayPull() {
        String page = RegistryHttp.text(registry.releng().get("/"));

        assertThat(page).contains(">library/app</a>", ">candidate/app</a>").doesNotContain("private/secret");
    }

    @Test
    void aRepositoryTheCallerMayNotPullIsAnsweredLikeOneThatDoesNotExist() {
        HttpResponse<byte[]> hidden = registry.anonymous().get("/ui/repositories/candidate/app");
        HttpResponse<byte[]> missing = registry.anonymous().get("/ui/repositories/candidate/nothing");
        HttpResponse<byte[]> hiddenImage = registry.anonymous().get("/ui/images/candidate/app:1.0");

        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(hiddenImage.statusCode()).isEqualTo(404);
        assertThat(RegistryHttp.text(hidden)).isEqualTo(RegistryHttp.text(missing)).doesNotContain("candidate/app");
        assertThat(registry.releng().get("/ui/repositories/candidate/app").statusCode()).isEqualTo(200);
    }

    @Test
    void aRepositoryPageListsEachTagWithItsDigestKindSizePlatformAndCreationTime() {
        String page = RegistryHttp.text(registry.anonymous().get("/ui/repositories/library/tools"));

        assertThat(page).contains("href=\"/ui/images/library/tools:2.1\"",
                "href=\"/ui/images/library/tools@" + TOOLS_MANIFEST.digest() + "\"",
                TOOLS_MANIFEST.digest().encoded().substring(0, 12), "linux/arm64/v8", "2026-11-30 08:15 UTC",
                "2.2 KiB");
    }

    @Test
    void tagsArePagedWithALinkToTheNextPage() {
        String first = RegistryHttp.text(registry.anonymous().get("/ui/repositories/library/many"));
        Matcher next = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"").matcher(first);

        assertThat(first).contains(">v00</a>", ">v24</a>").doesNotContain(">v25</a>");
        assertThat(next.find()).as("a next page link").isTrue();
        String second = RegistryHttp.text(registry.anonymous().get(next.group(1).replace("&amp;", "&")));
        assertThat(second).contains(">v25</a>", ">v26</a>", "First page").doesNotContain(">v24</a>", "rel=\"next\"");
    }

    @Test
    void anImagePageShowsPullCommandsLayersConfigurationAnnotationsAndReferrers() {
        HttpResponse<byte[]> response = registry.anonymous().get("/ui/images/library/tools:2.1");
        String page = RegistryHttp.text(response);
        String host = registry.uri().getAuthority();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(page).contains(
                "podman pull " + host + "/library/tools:2.1",
                "podman pull " + host + "/library/tools@" + TOOLS_MANIFEST.digest(),
                TOOLS_LAYER.digest().toString(), ARM_CONFIG.digest().toString(), "linux/arm64/v8",
                "org.example.note", "application/vnd.example.signature",
                "href=\"/ui/images/library/tools@" + SIGNATURE.digest() + "\"");
    }

    @Test
    void whatAPageWritesFromContentIsEscaped() {
        String page = RegistryHttp.text(registry.anonymous().get("/ui/images/library/tools:2.1"));

        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;tools&lt;/b&gt;")
                .doesNotContain("<script>", "<b>tools");
    }

    @Test
    void aReferrerPageLinksBackToItsSubject() {
        String page = RegistryHttp.text(registry.anonymous().get("/ui/images/library/tools@" + SIGNATURE.digest()));

        assertThat(page).contains("artifact", "href=\"/ui/images/library/tools@" + TOOLS_MANIFEST.digest() + "\"");
    }

    @Test
    void searchMatchesTheFragmentLiterally() {
        assertThat(RegistryHttp.text(registry.anonymous().get("/?q=tool"))).contains(">library/tools</a>")
                .doesNotContain(">library/app</a>");
        assertThat(RegistryHttp.text(registry.anonymous().get("/?q=%25"))).doesNotContain("/ui/repositories/");
        assertThat(RegistryHttp.text(registry.anonymous().get("/?q=" + "a".repeat(300)))).doesNotContain("/ui/repositories/");
    }

    @Test
    void pagesForbidScriptsFramesAndCachingAndTheStylesheetIsServed() {
        HttpResponse<byte[]> page = registry.anonymous().get("/");
        HttpResponse<byte[]> css = registry.anonymous().get("/ui/static/berth.css");

        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    }

    @Test
    void unknownPagesMalformedReferencesAndWritesAreRefused() {
        assertThat(registry.anonymous().get("/ui/nothing").statusCode()).isEqualTo(404);
        assertThat(registry.anonymous().get("/ui/images/library/tools@sha256:zz").statusCode()).isEqualTo(404);
        assertThat(registry.anonymous().get("/ui/images/library/tools:bad%20tag").statusCode()).isEqualTo(404);
        assertThat(registry.anonymous().get("/ui/repositories/UPPER/case").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> post = registry.anonymous().post("/");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void theMirrorPageShowsPrivateMirrorsAndTheChoiceOnlyToAdmins() {
        String anonymous = RegistryHttp.text(registry.anonymous().get("/ui/mirrors"));
        String admin = RegistryHttp.text(registry.admin().get("/ui/mirrors?client=192.0.2.7&repository=library/app&digest="
                + LockedDownRegistry.PUBLIC_LAYER.digest()));

        assertThat(anonymous).contains("public-mirror", "not synced yet").doesNotContain("campus-mirror", "Where would a client");
        assertThat(admin).contains("public-mirror", "campus-mirror", "Where would a client be sent?",
                "A client at 192.0.2.7", "is sent to: registry");
        assertThat(registry.admin().get("/ui/mirrors?client=192.0.2.7&repository=library/app&digest="
                + TOOLS_LAYER.digest()).statusCode()).as("a blob the repository does not hold").isEqualTo(404);
    }

    @Test
    void theOverviewShowsStoragePerNamespaceAndGarbageCollectionToAdminsOnly() throws InterruptedException {
        String anonymous = RegistryHttp.text(registry.anonymous().get("/ui/overview"));
        assertThat(anonymous).contains("Version", "shown to registry administrators").doesNotContain("Storage per namespace");

        String admin = RegistryHttp.text(registry.admin().get("/ui/overview"));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!admin.contains("<table class=\"storage\">") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            admin = RegistryHttp.text(registry.admin().get("/ui/overview"));
        }
        assertThat(admin).contains("Storage per namespace", "<th scope=\"row\">library</th>", "<th scope=\"row\">candidate</th>",
                "<th scope=\"row\">private</th>", "Garbage collection");
    }

    @Test
    void concurrentPageRequestsAllSucceed() throws Exception {
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String path = List.of("/", "/ui/repositories/library/many", "/ui/images/library/tools:2.1").get(i % 3);
            requests.add(() -> registry.anonymous().get(path).statusCode());
        }
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            for (Future<Integer> status : clients.invokeAll(requests)) {
                assertThat(status.get()).isEqualTo(200);
            }
        }
        assertThat(registry.anonymous().get("/v2/library/tools/manifests/2.1").statusCode()).isEqualTo(200);
    }
}
