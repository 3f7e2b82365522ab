package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The service map draws the sensor's graph; clicking an edge opens its details; the infrastructure page lists
 * the same processes; names stay inert text.
 */
class ServiceMapBrowserIT {
    private static final String PASSWORD = "service-map-password";
    private static final String KEY = "nj_service_map_browser_key_0123456789";

    @Test
    void rendersTheMapAndOpensEdgeDetails(@TempDir Path dataDir, @TempDir Path profile) {
        ChromeDriver browser = Browser.start(profile);
        try (ServerProcess server = ServerProcess.start(
                dataDir, Map.of("NIGHTJAR_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD, "NIGHTJAR_BOOTSTRAP_API_KEY", KEY))) {
            seed(server);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            String base = "http://localhost:" + server.port();
            browser.get(base + "/login");
            DashboardBrowserIT.signIn(browser, wait, "admin", PASSWORD);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-user")));

            browser.get(base + "/service-map?from=now-15m&to=now");
            wait.until(ExpectedConditions.titleIs("Service map · Nightjar"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("service-map-status"), "4 services · 2 dependencies"));
            WebElement chart = browser.findElement(By.id("service-map-chart"));
            wait.until(d -> chart.getDomAttribute("data-rendered") != null);
            assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
            Browser.screenshot(browser, "service-map-01-graph");

            // The map is canvas: find where ECharts drew the first edge and click its middle. The geometry
            // can still move while ECharts settles the first frames, so measure again before each try.
            WebElement details = null;
            for (int attempt = 0; attempt < 10 && details == null; attempt++) {
                @SuppressWarnings("unchecked")
                List<Number> point = (List<Number>) browser.executeScript("""
                        const c = arguments[0]._chart;
                        const el = c.getModel().getSeriesByIndex(0).getEdgeData().getItemGraphicEl(0);
                        const line = el.childAt ? el.childAt(0) : el;
                        const p = line.pointAt(0.5);
                        const g = line.transformCoordToGlobal(p[0], p[1]);
                        return [g[0] - arguments[0].clientWidth / 2, g[1] - arguments[0].clientHeight / 2];
                        """, chart);
                new Actions(browser)
                        .moveToElement(
                                chart, point.get(0).intValue(), point.get(1).intValue())
                        .click()
                        .perform();
                try {
                    details = new WebDriverWait(browser, Duration.ofSeconds(3))
                            .until(ExpectedConditions.visibilityOfElementLocated(By.id("service-map-details")));
                } catch (org.openqa.selenium.TimeoutException notYet) {
                    // measure and click again
                }
            }
            assertThat(details).as("edge details panel").isNotNull();
            WebElement panel = details;
            wait.until(d -> panel.getText().contains("Dependency health"));
            assertThat(details.getText()).contains("RED", "Traffic", "TCP health", "→");
            Browser.screenshot(browser, "service-map-02-edge");

            browser.findElement(By.cssSelector("#service-map-filter input")).sendKeys("postgres");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("service-map-status"), "2 services · 1 dependencies"));
            assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();

            browser.get(base + "/infrastructure?from=now-15m&to=now");
            wait.until(ExpectedConditions.titleIs("Infrastructure · Nightjar"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("infrastructure-status"), "1 host(s) · 3 processes"));
            WebElement grid = browser.findElement(By.id("infrastructure-grid"));
            wait.until(d -> grid.getText().contains("postgres (/usr/bin/postgres)"));
            assertThat(grid.getText()).contains("5432", "<img src=x onerror=alert(1)>", "not reported");
            assertThat(browser.findElements(By.cssSelector("img[src='x']"))).isEmpty();
            Browser.screenshot(browser, "service-map-03-infrastructure");
        } finally {
            browser.quit();
        }
    }

    /** app:8080 → postgres:5432 and a hostile-named process → a remote host. */
    static void seed(ServerProcess server) {
        var app = ServiceMapIT.process("100", "app");
        var db = ServiceMapIT.process("200", "postgres");
        var evil = ServiceMapIT.process("300", "<img src=x onerror=alert(1)>");
        List<Metric> metrics = List.of(
                ServiceMapIT.gauge(
                        "nightjar.tcp.listening",
                        ServiceMapIT.with(db, "server.address", "0.0.0.0", "server.port", "5432")),
                ServiceMapIT.gauge(
                        "nightjar.tcp.listening",
                        ServiceMapIT.with(app, "server.address", "0.0.0.0", "server.port", "8080")),
                ServiceMapIT.counter(
                        "nightjar.tcp.connects",
                        "{connection}",
                        ServiceMapIT.with(ServiceMapIT.client(app, "127.0.0.1", "", "5432"), "outcome", "established"),
                        3),
                ServiceMapIT.counter(
                        "nightjar.tcp.connects",
                        "{connection}",
                        ServiceMapIT.with(ServiceMapIT.client(evil, "93.184.216.34", "", "443"), "outcome", "refused"),
                        1));
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(
                                Resource.newBuilder().addAttributes(ServiceMapIT.kv("service.name", "nightjar-sensor")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics)))
                .build();
        HttpResponse<String> exported = server.send(HttpRequest.newBuilder(server.uri("/v1/metrics"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())));
        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
    }
}
