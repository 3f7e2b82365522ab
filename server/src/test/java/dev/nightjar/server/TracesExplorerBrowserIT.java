package dev.nightjar.server;

import static dev.nightjar.server.LogsExplorerBrowserIT.IMG;
import static dev.nightjar.server.LogsExplorerBrowserIT.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The traces explorer against the packaged server with spans sent over OTLP/HTTP JSON: the search lists
 * the trace and plots it, the trace page draws the waterfall with the critical path, span details show
 * attributes, events and the error message as text, and the trace links to its logs.
 */
class TracesExplorerBrowserIT {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String ROOT = "00f067aa0ba902b7";
    static final String PAYMENTS = "00f067aa0ba902b8";
    static final String INVENTORY = "00f067aa0ba902b9";
    static final String QUERY = "00f067aa0ba902ba";

    @Test
    void searchWaterfallCriticalPathDetailsAndLogsLink(@TempDir Path dataDir, @TempDir Path profile) {
        ChromeDriver browser = Browser.start(profile);
        try (ServerProcess server = LogsExplorerBrowserIT.start(dataDir)) {
            long t0 = Instant.now().minusSeconds(300).toEpochMilli() * 1_000_000L;
            long ms = 1_000_000L;
            // frontend GET /checkout [0,100ms]: payments [5,40], inventory [10,95] -> SELECT stock [12,90].
            // The critical path is root -> inventory -> SELECT stock.
            LogsExplorerBrowserIT.sendSpans(server, """
                    {"resourceSpans":[
                     {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}}]},
                      "scopeSpans":[{"scope":{"name":"it"},"spans":[
                       {"traceId":"%1$s","spanId":"%2$s","name":"GET /checkout","kind":2,
                        "startTimeUnixNano":"%6$d","endTimeUnixNano":"%7$d",
                        "attributes":[{"key":"http.route","value":{"stringValue":"/checkout"}},
                                      {"key":"user.agent","value":{"stringValue":"%12$s"}}],
                        "status":{"code":2,"message":"%13$s"}},
                       {"traceId":"%1$s","spanId":"%3$s","parentSpanId":"%2$s","name":"call payments","kind":3,
                        "startTimeUnixNano":"%8$d","endTimeUnixNano":"%9$d"},
                       {"traceId":"%1$s","spanId":"%4$s","parentSpanId":"%2$s","name":"call inventory","kind":3,
                        "startTimeUnixNano":"%10$d","endTimeUnixNano":"%11$d"}]}]},
                     {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"inventory"}}]},
                      "scopeSpans":[{"scope":{"name":"it"},"spans":[
                       {"traceId":"%1$s","spanId":"%5$s","parentSpanId":"%4$s","name":"SELECT stock","kind":2,
                        "startTimeUnixNano":"%14$d","endTimeUnixNano":"%15$d",
                        "events":[{"timeUnixNano":"%14$d","name":"lock wait",
                                   "attributes":[{"key":"db.table","value":{"stringValue":"stock"}}]}]}]}]}]}
                    """.formatted(
                            TRACE_ID,
                            ROOT,
                            PAYMENTS,
                            INVENTORY,
                            QUERY,
                            t0,
                            t0 + 100 * ms,
                            t0 + 5 * ms,
                            t0 + 40 * ms,
                            t0 + 10 * ms,
                            t0 + 95 * ms,
                            IMG,
                            SCRIPT.replace("/", "\\/"),
                            t0 + 12 * ms,
                            t0 + 90 * ms));
            LogsExplorerBrowserIT.sendLogs(server, """
                    {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}}]},
                     "scopeLogs":[{"logRecords":[{"timeUnixNano":"%d","severityNumber":17,
                       "body":{"stringValue":"checkout failed for trace"},"traceId":"%s","spanId":"%s"}]}]}]}
                    """.formatted(t0 + 50 * ms, TRACE_ID, ROOT));

            WebDriverWait wait = LogsExplorerBrowserIT.newWait(browser);
            String base = "http://localhost:" + server.port();
            LogsExplorerBrowserIT.signIn(browser, wait, base);

            browser.get(base + "/traces?from=now-1h&to=now&service=frontend");
            WebElement row = LogsExplorerBrowserIT.waitForCell(browser, wait, "GET /checkout");
            assertThat(browser.getTitle()).isEqualTo("frontend · Traces · Nightjar");
            assertThat(LogsExplorerBrowserIT.cellTexts(browser)).contains("frontend", "4", "100ms");
            wait.until(d -> d.findElement(By.id("trace-scatter")).getDomAttribute("data-rendered") != null);
            Browser.screenshot(browser, "traces-01-search");

            // Clicking the trace's point in the scatter plot opens it.
            WebElement scatter = browser.findElement(By.id("trace-scatter"));
            @SuppressWarnings("unchecked")
            List<Number> point = (List<Number>) browser.executeScript(
                    "const c = arguments[0]._chart, s = c.getOption().series[1];"
                            + " return c.convertToPixel({seriesIndex: 1}, s.data[0].value);",
                    scatter);
            new Actions(browser)
                    .moveToElement(
                            scatter,
                            (int) Math.round(point.get(0).doubleValue()
                                    - scatter.getSize().getWidth() / 2.0),
                            (int) Math.round(point.get(1).doubleValue()
                                    - scatter.getSize().getHeight() / 2.0))
                    .click()
                    .perform();
            wait.until(ExpectedConditions.urlContains("/traces/" + TRACE_ID));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("waterfall")));

            // The search form's criteria travel in the URL: status, duration bounds and attribute filters.
            browser.get(
                    base + "/traces?from=now-1h&to=now&status=error&min=50ms&max=2s&attrs=http.route%3D%2Fcheckout");
            LogsExplorerBrowserIT.waitForCell(browser, wait, "GET /checkout");
            assertThat(browser.findElement(By.cssSelector("#trace-min-duration input"))
                            .getDomProperty("value"))
                    .isEqualTo("50ms");
            browser.get(base + "/traces?from=now-1h&to=now&min=200ms");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("no-trace-results")));
            browser.get(base + "/traces?from=now-1h&to=now&min=fast");
            wait.until(d -> d.findElement(By.id("trace-query-error")).getText().contains("not a duration"));

            // So does clicking its row in the list.
            browser.get(base + "/traces?from=now-1h&to=now&service=frontend");
            row = LogsExplorerBrowserIT.waitForCell(browser, wait, "GET /checkout");
            row.click();
            wait.until(ExpectedConditions.urlContains("/traces/" + TRACE_ID));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("waterfall")));
            assertThat(browser.getTitle()).isEqualTo("Trace 4bf92f35 · Traces · Nightjar");
            List<WebElement> rows = browser.findElements(By.cssSelector("#waterfall .nj-span-row"));
            assertThat(rows)
                    .extracting(r -> r.getDomAttribute("data-span-id"))
                    .containsExactly(ROOT, PAYMENTS, INVENTORY, QUERY);
            Set<String> critical = browser.findElements(By.cssSelector("#waterfall .nj-span-row.nj-critical")).stream()
                    .map(r -> r.getDomAttribute("data-span-id"))
                    .collect(Collectors.toSet());
            assertThat(critical).containsExactlyInAnyOrder(ROOT, INVENTORY, QUERY);
            Browser.screenshot(browser, "traces-02-waterfall");

            // The root's details (shown first) carry the hostile attribute and status message as text.
            WebElement details = browser.findElement(By.id("span-details"));
            assertThat(details.getText()).contains("http.route", "/checkout", IMG, "ERROR: " + SCRIPT);
            LogsExplorerBrowserIT.assertNoMarkupExecuted(browser);

            browser.findElement(By.cssSelector("#waterfall .nj-span-row[data-span-id='" + QUERY + "']"))
                    .click();
            wait.until(d -> d.findElement(By.id("span-details")).getText().contains("lock wait"));
            WebElement query = browser.findElement(By.id("span-details"));
            assertThat(query.getText()).contains("SELECT stock", "inventory", "db.table");
            assertThat(query.getDomAttribute("data-critical")).isEqualTo("true");
            Browser.screenshot(browser, "traces-03-span-details");

            WebElement logsLink = browser.findElement(By.id("trace-logs-link"));
            assertThat(logsLink.getDomAttribute("href")).startsWith("logs?").contains("trace_id", TRACE_ID);
            logsLink.click();
            LogsExplorerBrowserIT.waitForCell(browser, wait, "checkout failed for trace");
            Browser.screenshot(browser, "traces-04-logs-of-trace");
        } finally {
            browser.quit();
        }
    }
}
