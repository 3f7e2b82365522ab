package dev.nightjar.server;

import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven through chromedriver; never a downloaded browser. */
final class Browser {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Browser() {}

    static ChromeDriver start(Path profileDir) {
        Path chromium = Executables.find("/usr/bin/chromium", "chromium", "chromium-browser")
                .orElse(null);
        Path driver = Executables.find("/usr/bin/chromedriver", "chromedriver").orElse(null);
        ExternalPiece.require(chromium != null, "Chromium (Debian package chromium)");
        ExternalPiece.require(driver != null, "chromedriver (Debian package chromium-driver)");
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--window-size=1400,900",
                        "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return browser;
    }

    /** Saves a screenshot under target/screenshots as a test artifact. */
    static void screenshot(ChromeDriver browser, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
