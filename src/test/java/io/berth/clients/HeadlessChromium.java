package io.berth.clients;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium}, headless, driven through Debian's {@code chromium-driver} by
 * Selenium: nothing is downloaded (Selenium Manager is never asked, since both paths are given).
 * A missing browser or driver fails the test, naming the packages to install.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path screenshots;

    private HeadlessChromium(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    /** Starts the browser with a 1280×1000 window; screenshots go to {@code screenshots}. */
    static HeadlessChromium start(Path screenshots) {
        for (Path program : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(program)) {
                throw new AssertionError(program + " is required by the web interface's end-to-end tests but is not"
                        + " installed; apt-get install chromium chromium-driver");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        try {
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            driver.quit();
            throw new UncheckedIOException(e);
        }
        return new HeadlessChromium(driver, screenshots);
    }

    WebDriver driver() {
        return driver;
    }

    /** Saves what the window shows now as {@code NAME.png}, the whole page's height. */
    Path screenshot(String name) {
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.min(Math.max(height, 600), 4000)));
        File taken = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = screenshots.resolve(name + ".png");
        try {
            Files.copy(taken.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
