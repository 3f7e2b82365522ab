package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The metrics explorer runs PromQL from the URL, draws it, lists it as a table, and keeps the time window. */
class MetricsExplorerBrowserIT {
    private static final String PASSWORD = "metrics-explorer-password";

    @Test
    void runsAQueryFromTheUrlAndShowsChartAndTable(@TempDir Path dataDir, @TempDir Path profile) {
        ChromeDriver browser = Browser.start(profile);
        try (ServerProcess server =
                ServerProcess.start(dataDir, Map.of("NIGHTJAR_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD))) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            String base = "http://localhost:" + server.port();
            browser.get(base + "/login");
            DashboardBrowserIT.signIn(browser, wait, "admin", PASSWORD);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-user")));

            String query = "label_replace(vector(42), \"job\", \"<img src=x onerror=alert(1)>\", \"\", \"\")";
            browser.get(base + "/metrics?from=now-15m&to=now&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
            wait.until(ExpectedConditions.titleIs("Metrics · Nightjar"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("metrics-status"), "1 series"));
            WebElement chart = browser.findElement(By.id("metrics-chart"));
            wait.until(d -> chart.getDomAttribute("data-rendered") != null);
            assertThat(browser.findElement(By.cssSelector("#promql-0 input")).getDomProperty("value"))
                    .isEqualTo(query);
            assertThat(browser.findElement(By.cssSelector("#time-window-preset"))
                            .getText())
                    .contains("Last 15 minutes");
            Browser.screenshot(browser, "metrics-01-chart");

            browser.findElement(By.cssSelector("#metrics-view-mode vaadin-tab:nth-of-type(2)"))
                    .click();
            WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("metrics-table")));
            wait.until(d -> table.getText().contains("42"));
            assertThat(table.getText()).contains("job=\"<img src=x onerror=alert(1)>\"");
            assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
            Browser.screenshot(browser, "metrics-02-table");

            browser.get(base + "/metrics?q=" + URLEncoder.encode("sum(rate(", StandardCharsets.UTF_8));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("metrics-status"), "A: "));
            assertThat(browser.findElement(By.id("metrics-status")).getText()).contains("0 series");
        } finally {
            browser.quit();
        }
    }
}
