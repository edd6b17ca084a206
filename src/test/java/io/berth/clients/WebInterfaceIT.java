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

    @TempDir
    static Path directory;
    @TempDir
    static Path images;
    private static LockedDownBerth berth;
    private static HeadlessChromium chromium;
    private static String base;

    @BeforeAll
    static void pushImagesAndStartTheBrowser() {
        berth = LockedDownBerth.start(directory);
        ContainersTool skopeo = ContainersTool.skopeo(ContainersSandbox.create(images.resolve("sandbox")));
        OciLayoutBuilder builder = OciLayoutBuilder.create(images.resolve("layout"));
        OciImage app = SampleImages.application(builder);
        OciIndex tools = SampleImages.multiPlatform(builder);
        builder.tag("app", app).tag("tools", tools).write();
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

    private static List<String> texts(WebDriver browser, String selector) {
        return browser.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }
}
