package io.berth.clients;

import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.OciImage;
import io.berth.testing.OciIndex;
import io.berth.testing.OciLayoutBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The web interface in headless Chromium, against Berth running {@code examples/locked-down.yml}
 * with images pushed by skopeo: an anonymous visitor browses and searches the public repositories
 * with the keyboard, opens a multi-platform image, and never sees the candidates. Screenshots of
 * each page are kept in {@code target/ui-screenshots} ({@code docs/ui.md} shows them).
 */
@Tag("clients")
class WebInterfaceIT {
    private static final Path SCREENSHOTS = Path.of("target/ui-screenshots");
    private static final Path RELEASE_KEY = Path.of("examples/release-signing.key");
    private static final Path RELEASE_PUBLIC_KEY = Path.of("examples/release-signing.pub");

    @TempDir
    static Path directory;
    @TempDir
    static Path images;
    private static LockedDownBerth berth;
    private static HeadlessChromium chromium;
    private static String base;
    /** A layer of library/app:1.0. */
    private static String appLayer;

    @BeforeAll
    static void pushImagesAndStartTheBrowser() {
        berth = LockedDownBerth.start(directory, example -> {
            // Promotion to any repository needs a signature by the example release key.
            com.fasterxml.jackson.databind.node.ObjectNode gate = ((com.fasterxml.jackson.databind.node.ObjectNode)
                    example.required("promotion")).putArray("gates").addObject();
            gate.put("repositories", "**");
            gate.putObject("required-signatures").putArray("keys").add(RELEASE_PUBLIC_KEY.toAbsolutePath().toString());
            // Two mirrors nothing answers at (port 9, discard), one of them private to a campus network.
            com.fasterxml.jackson.databind.node.ArrayNode list = example.putObject("mirrors").putArray("list");
            list.addObject().put("name", "eu-mirror").put("url", "http://127.0.0.1:9/eu/").put("country", "DE");
            com.fasterxml.jackson.databind.node.ObjectNode campus = list.addObject().put("name", "campus-mirror")
                    .put("url", "http://127.0.0.1:9/campus/").put("country", "DE").put("private", true);
            campus.putArray("netblocks").add("10.20.0.0/16");
        });
        ContainersTool skopeo = ContainersTool.skopeo(ContainersSandbox.create(images.resolve("sandbox")));
        OciLayoutBuilder builder = OciLayoutBuilder.create(images.resolve("layout"));
        OciImage app = SampleImages.application(builder);
        OciIndex tools = SampleImages.multiPlatform(builder);
        builder.tag("app", app).tag("tools", tools).write();
        appLayer = app.layers().getLast().digest().toString();
        String admin = LockedDownBerth.ADMIN.colonSeparated();
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", admin,
                oci(builder.root(), "app"), berth.docker("library/app:1.0"));
        skopeo.succeed("copy", "--all", "--dest-tls-verify=false", "--dest-creds", admin,
                oci(builder.root(), "tools"), berth.docker("fedora/toolbox:41"));
        skopeo.succeed("copy", "--all", "--dest-tls-verify=false", "--dest-creds", berth.buildRobot().colonSeparated(),
                oci(builder.root(), "tools"), berth.docker("candidate/toolbox:42"));
        chromium = HeadlessChromium.start(SCREENSHOTS);
        base = "http://" + berth.hostPort();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (berth != null) {
                berth.close();
            }
        }
    }

    /** Each test starts signed out. */
    @BeforeEach
    void forgetTheSession() {
        chromium.driver().get(base + "/");
        chromium.driver().manage().deleteAllCookies();
    }

    @Test
    void anAnonymousVisitorBrowsesSearchesAndOpensAMultiPlatformImageWithTheKeyboard() {
        WebDriver browser = chromium.driver();
        browser.get(base + "/");

        assertThat(texts(browser, "ul.repositories a")).containsExactly("fedora/toolbox", "library/app");
        chromium.screenshot("repositories");

        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).as("the first stop of the keyboard").isEqualTo("Skip to content");
        WebElement search = browser.findElement(By.id("q"));
        assertThat(browser.findElement(By.cssSelector("label[for=q]")).getText()).contains("Find repositories");
        search.sendKeys("toolbox", Keys.ENTER);
        assertThat(texts(browser, "ul.repositories a")).containsExactly("fedora/toolbox");

        browser.findElement(By.linkText("fedora/toolbox")).sendKeys(Keys.ENTER);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("fedora/toolbox");
        String row = browser.findElement(By.cssSelector("table.tags tbody tr")).getText();
        assertThat(row).contains("41", "multi-platform index", "linux/amd64", "linux/arm64/v8");
        chromium.screenshot("repository");

        browser.findElement(By.linkText("41")).click();
        assertThat(browser.findElement(By.id("pull-41")).getAttribute("value"))
                .isEqualTo("podman pull " + berth.hostPort() + "/fedora/toolbox:41");
        assertThat(texts(browser, "section[aria-labelledby=platforms] tbody td:first-child"))
                .containsExactly("linux/amd64", "linux/arm64/v8");
        chromium.screenshot("index");

        browser.findElement(By.cssSelector("section[aria-labelledby=platforms] tbody tr:first-child a")).click();
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Layers", "Configuration", "linux/amd64");
        chromium.screenshot("image");
    }

    @Test
    void candidatesStayInvisibleToAnonymousVisitors() {
        WebDriver browser = chromium.driver();
        browser.get(base + "/?q=candidate");
        assertThat(browser.findElements(By.cssSelector("ul.repositories a"))).isEmpty();

        browser.get(base + "/ui/repositories/candidate/toolbox");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        assertThat(browser.getPageSource()).doesNotContain("candidate/toolbox");
    }

    @Test
    void aReleaseEngineerSignsInSeesTheMissingSignatureAttachesItPromotesAndSeesTheHistory() {
        WebDriver browser = chromium.driver();
        browser.get(base + "/");
        browser.findElement(By.linkText("Sign in")).click();
        browser.findElement(By.id("username")).sendKeys(LockedDownBerth.RELENG.username());
        browser.findElement(By.id("password")).sendKeys(LockedDownBerth.RELENG.password(), Keys.ENTER);

        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/ui/promotions");
        assertThat(browser.findElement(By.cssSelector("header .who")).getText().replaceAll("\\s+", " "))
                .contains("Signed in as releng");
        WebElement candidate = candidate(browser, "candidate/toolbox:42");
        assertThat(candidate.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("blocked");
        String failing = candidate.findElement(By.cssSelector("tr.failed")).getText();
        assertThat(failing).contains("signature", "fails");
        chromium.screenshot("candidates-blocked");

        sign("candidate/toolbox:42");
        browser.navigate().refresh();
        candidate = candidate(browser, "candidate/toolbox:42");
        assertThat(candidate.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("ready");
        chromium.screenshot("candidates-ready");

        WebElement target = candidate.findElement(By.name("target"));
        assertThat(target.getAttribute("value")).isEqualTo("toolbox:42");
        candidate.findElement(By.cssSelector("button[type=submit]")).click();

        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/ui/promotions/history");
        String newest = browser.findElement(By.cssSelector("table.history tbody tr")).getText();
        assertThat(newest).contains("releng", "candidate/toolbox:42 → toolbox:42", "promoted");
        chromium.screenshot("history");
        assertThat(berth.getAnonymously("/v2/toolbox/manifests/42").statusCode()).as("promoted and public").isEqualTo(200);
    }

    @Test
    void anAdminSeesEveryMirrorWhereAClientWouldBeSentAndTheOverview() {
        WebDriver browser = chromium.driver();
        signIn(browser, LockedDownBerth.ADMIN);

        browser.get(base + "/ui/mirrors");
        assertThat(texts(browser, "table.mirrors tbody th")).anyMatch(text -> text.startsWith("eu-mirror"))
                .anyMatch(text -> text.startsWith("campus-mirror"));
        browser.findElement(By.id("client")).sendKeys("10.20.1.5");
        browser.findElement(By.id("repository")).sendKeys("library/app");
        browser.findElement(By.id("digest")).sendKeys(appLayer, Keys.ENTER);
        assertThat(browser.findElement(By.id("choice")).getText()).contains("A client at 10.20.1.5", "is sent to: registry");
        chromium.screenshot("mirrors");

        browser.get(base + "/ui/overview");
        for (int attempt = 0; attempt < 50 && browser.findElements(By.cssSelector("table.storage")).isEmpty(); attempt++) {
            sleep(100);
            browser.navigate().refresh();
        }
        assertThat(texts(browser, "table.storage tbody th")).contains("candidate", "fedora", "library");
        chromium.screenshot("overview");

        browser.get(base + "/");
        assertThat(texts(browser, "ul.repositories a")).contains("candidate/toolbox", "fedora/toolbox", "library/app");
        signOut(browser);
        assertThat(texts(browser, "ul.repositories a")).doesNotContain("candidate/toolbox");
        browser.get(base + "/ui/mirrors");
        assertThat(browser.getPageSource()).doesNotContain("campus-mirror", "Where would a client");
    }

    /** Basic accessibility on every page a visitor reaches: a language, one h1, every field labelled, a skip link. */
    @Test
    void everyPageHasALanguageOneHeadingLabelledFieldsAndASkipLink() {
        WebDriver browser = chromium.driver();
        signIn(browser, LockedDownBerth.RELENG);
        for (String path : List.of("/", "/ui/repositories/fedora/toolbox", "/ui/images/fedora/toolbox:41", "/ui/promotions",
                "/ui/promotions/history", "/ui/mirrors", "/ui/overview", "/ui/repositories/nothing/here")) {
            browser.get(base + path);
            assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).as(path).isEqualTo("en");
            assertThat(browser.findElements(By.tagName("h1"))).as(path).hasSize(1);
            assertThat(browser.findElement(By.cssSelector("a.skip")).getAttribute("href")).as(path).endsWith("#main");
            for (WebElement field : browser.findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
                String id = field.getAttribute("id");
                assertThat(id).as(path + ": a field without an id").isNotBlank();
                assertThat(browser.findElements(By.cssSelector("label[for='" + id + "']"))).as(path + ": the label of " + id)
                        .hasSize(1);
            }
        }
        signOut(browser);
    }

    private static void signIn(WebDriver browser, LockedDownBerth.Credentials credentials) {
        browser.get(base + "/ui/sign-in");
        browser.findElement(By.id("username")).sendKeys(credentials.username());
        browser.findElement(By.id("password")).sendKeys(credentials.password(), Keys.ENTER);
    }

    private static void signOut(WebDriver browser) {
        browser.findElement(By.cssSelector("header form button")).click();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static WebElement candidate(WebDriver browser, String source) {
        return browser.findElement(By.xpath("//section[contains(@class,'candidate')][.//h2/a[normalize-space()='" + source + "']]"));
    }

    /** {@code berth sign} as the build robot, with the example release key, as a build system would run it. */
    private static void sign(String repositoryAndTag) {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(berth.buildRobot().password().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            int status = new picocli.CommandLine(new io.berth.cli.BerthCommand()).execute("sign", "--key", RELEASE_KEY.toString(),
                    "--username", berth.buildRobot().username(), "--password-stdin", "--plain-http",
                    berth.hostPort() + "/" + repositoryAndTag);
            assertThat(status).as("berth sign's exit status").isZero();
        } finally {
            System.setIn(stdin);
        }
    }

    private static List<String> texts(WebDriver browser, String selector) {
        return browser.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }
}
