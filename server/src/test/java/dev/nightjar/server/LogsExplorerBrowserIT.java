package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The logs explorer against the packaged server with logs sent over OTLP/HTTP JSON: a search finds the
 * needle, the severity histogram renders, an expanded record shows its attributes and links to its
 * trace, and markup inside telemetry stays text.
 */
class LogsExplorerBrowserIT {
    static final String KEY = "nj_logs_explorer_it_key_0123456789abcdef";
    static final String PASSWORD = "explorer-it-password-1";
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";

    @Test
    void searchHistogramDetailsTraceLinkAndInertMarkup(@TempDir Path dataDir, @TempDir Path profile) {
        ChromeDriver browser = Browser.start(profile);
        try (ServerProcess server = start(dataDir)) {
            long now = Instant.now().toEpochMilli() * 1_000_000L;
            sendLogs(server, """
                    {"resourceLogs":[{"resource":{"attributes":[
                      {"key":"service.name","value":{"stringValue":"checkout"}},
                      {"key":"host.name","value":{"stringValue":"web-1"}}]},
                     "scopeLogs":[{"scope":{"name":"it"},"logRecords":[
                      {"timeUnixNano":"%d","severityNumber":17,"severityText":"ERROR",
                       "body":{"stringValue":"payment needle7f3a declined by gateway"},
                       "attributes":[{"key":"order.id","value":{"stringValue":"o-4242"}}],
                       "traceId":"%s","spanId":"eee19b7ec3c1b174"},
                      {"timeUnixNano":"%d","severityNumber":9,"severityText":"INFO",
                       "body":{"stringValue":"cart viewed"}},
                      {"timeUnixNano":"%d","severityNumber":13,"severityText":"WARN",
                       "body":{"stringValue":"%s"},
                       "attributes":[{"key":"user.agent","value":{"stringValue":"%s"}}]}
                     ]}]}]}
                    """.formatted(
                            now - 120_000_000_000L,
                            TRACE_ID,
                            now - 60_000_000_000L,
                            now - 30_000_000_000L,
                            SCRIPT.replace("/", "\\/"),
                            IMG));
            WebDriverWait wait = newWait(browser);
            String base = "http://localhost:" + server.port();
            signIn(browser, wait, base);

            browser.get(base + "/logs?from=now-1h&to=now&q=needle7f3a");
            WebElement needle = waitForCell(browser, wait, "payment needle7f3a declined by gateway");
            assertThat(browser.getTitle()).isEqualTo("needle7f3a · Logs · Nightjar");
            wait.until(d -> d.findElement(By.id("log-histogram")).getDomAttribute("data-rendered") != null);
            assertThat(browser.findElements(By.cssSelector("#log-histogram canvas")))
                    .isNotEmpty();
            assertThat(cellTexts(browser)).noneMatch(t -> t.contains("cart viewed"));
            Browser.screenshot(browser, "logs-01-search");

            needle.click();
            WebElement details =
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".nj-log-details")));
            wait.until(d -> details.getText().contains("o-4242"));
            assertThat(details.getText()).contains("order.id", "host.name", "web-1", TRACE_ID, "eee19b7ec3c1b174");
            WebElement traceLink = details.findElement(By.cssSelector(".nj-trace-link"));
            assertThat(traceLink.getDomAttribute("href")).startsWith("traces/" + TRACE_ID + "?");
            Browser.screenshot(browser, "logs-02-details");
            assertThat(browser.findElement(By.id("log-facets")).getText()).contains("checkout");

            // The record's trace link opens the trace page (this test stores no spans for it).
            traceLink.click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("trace-message")));
            assertThat(browser.getCurrentUrl()).contains("/traces/" + TRACE_ID);

            // Clicking a facet value adds it to the query (and the URL) as an exact filter.
            browser.get(base + "/logs?from=now-1h&to=now&q=needle7f3a");
            waitForCell(browser, wait, "payment needle7f3a declined by gateway");
            browser.findElement(By.cssSelector(".nj-facet-value[data-field='host.name']"))
                    .click();
            wait.until(d -> "needle7f3a host.name=web-1"
                    .equals(d.findElement(By.cssSelector("#log-query input")).getDomProperty("value")));
            assertThat(browser.getCurrentUrl()).contains("web-1");
            waitForCell(browser, wait, "payment needle7f3a declined by gateway");

            // A severity filter narrows the needle's query to nothing for info.
            browser.get(base + "/logs?from=now-1h&to=now&q=needle7f3a%20severity%3Dinfo");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("no-log-results")));

            // Hostile input in the query box is an inline error, not a failed page.
            browser.get(base + "/logs?from=now-1h&to=now&q=%22unbalanced");
            WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("log-query-error")));
            assertThat(error.getText()).contains("never closed");

            // Markup in bodies and attributes is shown as the literal text, never parsed.
            browser.get(base + "/logs?from=now-1h&to=now&q=script%20alert");
            WebElement script = waitForCell(browser, wait, SCRIPT);
            script.click();
            WebElement hostile =
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".nj-log-details")));
            wait.until(d -> hostile.getText().contains(IMG));
            assertNoMarkupExecuted(browser);
            Browser.screenshot(browser, "logs-03-inert-markup");

            // Live tail: with nothing matching yet, a record sent later shows up without searching again.
            browser.get(base + "/logs?from=now-1h&to=now&q=tailneedle");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("no-log-results")));
            browser.findElement(By.cssSelector("#live-tail input")).click();
            sendLogs(server, """
                    {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"tail"}}]},
                     "scopeLogs":[{"logRecords":[{"timeUnixNano":"%d","severityNumber":9,
                       "body":{"stringValue":"tailneedle arrived"}}]}]}]}
                    """.formatted(Instant.now().toEpochMilli() * 1_000_000L));
            wait.until(d -> cellTexts(browser).contains("tailneedle arrived"));
            // The next record is added to the rows already shown (the order is covered by LogPagesTest).
            sendLogs(server, """
                    {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"tail"}}]},
                     "scopeLogs":[{"logRecords":[{"timeUnixNano":"%d","severityNumber":13,
                       "body":{"stringValue":"tailneedle again"}}]}]}]}
                    """.formatted(Instant.now().toEpochMilli() * 1_000_000L));
            wait.until(d -> cellTexts(browser).contains("tailneedle again"));
            assertThat(cellTexts(browser)).contains("tailneedle arrived");
            Browser.screenshot(browser, "logs-04-live-tail");
        } finally {
            browser.quit();
        }
    }

    /** Waits that retry when Vaadin re-renders an element between finding it and reading it. */
    static WebDriverWait newWait(ChromeDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    static ServerProcess start(Path dataDir) {
        return ServerProcess.start(
                dataDir,
                Map.of(
                        "NIGHTJAR_BOOTSTRAP_API_KEY",
                        KEY,
                        "NIGHTJAR_BOOTSTRAP_ADMIN_PASSWORD",
                        PASSWORD,
                        "NIGHTJAR_OTLP_HTTP_PORT",
                        "-1",
                        "NIGHTJAR_OTLP_GRPC_PORT",
                        "-1"));
    }

    static void sendLogs(ServerProcess server, String json) {
        post(server, "/v1/logs", json);
    }

    static void sendSpans(ServerProcess server, String json) {
        post(server, "/v1/traces", json);
    }

    private static void post(ServerProcess server, String path, String json) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("rejected");
    }

    static void signIn(ChromeDriver browser, WebDriverWait wait, String base) {
        browser.get(base + "/");
        WebElement username = wait.until(
                ExpectedConditions.elementToBeClickable(By.cssSelector("vaadin-login-form input[name='username']")));
        username.sendKeys("admin");
        browser.findElement(By.cssSelector("vaadin-login-form input[name='password']"))
                .sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("vaadin-login-form vaadin-button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-user")));
    }

    /**
     * Waits for a grid cell with exactly this text. Stores make writes searchable within about a second,
     * so the search is repeated until the record shows up.
     */
    static WebElement waitForCell(ChromeDriver browser, WebDriverWait wait, String text) {
        Function<WebDriver, WebElement> find = d -> d.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .filter(e -> text.equals(e.getText()))
                .findFirst()
                .orElse(null);
        return wait.pollingEvery(Duration.ofMillis(500)).until(d -> {
            boolean busy =
                    d.findElements(By.cssSelector("[id$='-progress']")).stream().anyMatch(WebElement::isDisplayed);
            if (busy) {
                return null; // results are about to be replaced
            }
            WebElement cell = find.apply(d);
            if (cell == null) {
                List<WebElement> search = d.findElements(By.id("log-search"));
                List<WebElement> traceSearch = d.findElements(By.id("trace-search"));
                if (!search.isEmpty()) {
                    search.getFirst().click();
                } else if (!traceSearch.isEmpty()) {
                    traceSearch.getFirst().click();
                }
            }
            return cell;
        });
    }

    static List<String> cellTexts(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** No element was created from telemetry markup and no dialog opened. */
    static void assertNoMarkupExecuted(ChromeDriver browser) {
        assertThat(browser.getPageSource()).contains("&lt;img src=x onerror=alert(1)&gt;");
        Object images = browser.executeScript("return document.querySelectorAll('img[src=\"x\"], img[onerror]').length"
                + " + [...document.querySelectorAll('*')].filter(e => e.shadowRoot)"
                + ".map(e => e.shadowRoot.querySelectorAll('img[src=\"x\"], img[onerror]').length)"
                + ".reduce((a, b) => a + b, 0)");
        assertThat(((Number) images).intValue()).isZero();
        Object scripts = browser.executeScript(
                "return [...document.scripts].filter(s => s.textContent.includes('alert(1)')).length");
        assertThat(((Number) scripts).intValue()).isZero();
        assertThat(ExpectedConditions.alertIsPresent().apply(browser)).isNull();
    }
}
