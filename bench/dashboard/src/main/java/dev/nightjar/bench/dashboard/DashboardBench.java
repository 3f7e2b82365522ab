package dev.nightjar.bench.dashboard;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Time to interactive of the overview and the service map with N synthetic services. */
public final class DashboardBench {
    static final String PASSWORD = "dashboard-bench-password";
    static final String KEY = "nj_dashboard_bench_key_0123456789abcdef";
    static final int SCRAPES = 6;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int services = Integer.parseInt(opts.getOrDefault("services", "500"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
        Path jar = Path.of(opts.getOrDefault("server-jar", "server/target/quarkus-app/quarkus-run.jar"));
        Path data = Files.createTempDirectory("nightjar-dashboard-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toString());
        pb.environment().put("NIGHTJAR_DATA_DIR", data.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("NIGHTJAR_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD);
        pb.environment().put("NIGHTJAR_BOOTSTRAP_API_KEY", KEY);
        pb.redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
        Process server = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            waitForServer(http, base);
            long seedStart = System.nanoTime();
            seed(http, base, services);
            System.out.printf(
                    Locale.ROOT, "seeded %d services in %.1f s%n", services, (System.nanoTime() - seedStart) / 1e9);
            measure(base.replace("127.0.0.1", "localhost"), services, rounds, data.resolve("chromium"));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    static void waitForServer(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not become ready");
    }

    static void measure(String base, int services, int rounds, Path profile) {
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
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
                        "--user-data-dir=" + profile);
        ChromeDriver browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                        .usingAnyFreePort()
                        .build(),
                options);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
            browser.get(base + "/login");
            WebElement user = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("vaadin-login-form input[name='username']")));
            user.sendKeys("admin");
            browser.findElement(By.cssSelector("vaadin-login-form input[name='password']"))
                    .sendKeys(PASSWORD);
            browser.findElement(By.cssSelector("vaadin-login-form vaadin-button"))
                    .click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-user")));
            double[] overview = new double[rounds + 1];
            double[] map = new double[rounds + 1];
            String mapStatus = "";
            for (int r = 0; r <= rounds; r++) {
                long t = System.nanoTime();
                browser.get(base + "/?from=now-15m&to=now");
                wait.until(ExpectedConditions.titleIs("Overview · Nightjar"));
                // Vaadin leaves hidden components out of the DOM: done when the progress row is gone and
                // the services table (or the empty state) is there.
                wait.until(d -> d.findElements(By.id("overview-cancel")).stream()
                                .noneMatch(WebElement::isDisplayed)
                        && !d.findElements(By.cssSelector("#overview-services, #send-data-hint, #overview-problems"))
                                .isEmpty());
                overview[r] = (System.nanoTime() - t) / 1e6;

                t = System.nanoTime();
                browser.get(base + "/service-map?from=now-15m&to=now");
                wait.until(
                        ExpectedConditions.textToBePresentInElementLocated(By.id("service-map-status"), " services"));
                WebElement chart = browser.findElement(By.id("service-map-chart"));
                wait.until(d -> chart.getDomAttribute("data-rendered") != null);
                map[r] = (System.nanoTime() - t) / 1e6;
                mapStatus = browser.findElement(By.id("service-map-status")).getText();
            }
            System.out.println("service map status: " + mapStatus);
            report("overview", overview);
            report("service map", map);
        } finally {
            browser.quit();
        }
    }

    static void report(String page, double[] ms) {
        double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(warm);
        System.out.printf(
                Locale.ROOT,
                "%-12s first %.0f ms; warm median %.0f ms, max %.0f ms (%d rounds)%n",
                page,
                ms[0],
                warm[warm.length / 2],
                warm[warm.length - 1],
                warm.length);
    }

    /** Sensor-shaped series for N services, 50 services per OTLP request. */
    static void seed(HttpClient http, String base, int services) throws Exception {
        long t0 = (System.currentTimeMillis() / 1000 - 15L * SCRAPES) * 1000;
        for (int first = 0; first < services; first += 50) {
            List<Metric> metrics = new ArrayList<>();
            for (int i = first; i < Math.min(services, first + 50); i++) {
                Map<String, Object> proc = new LinkedHashMap<>();
                proc.put("process.pid", (long) (1000 + i));
                proc.put("process.executable.name", "svc-" + i);
                proc.put("process.executable.path", "/srv/svc-" + i);
                proc.put("container.id", "");
                metrics.add(gauge(
                        "nightjar.tcp.listening",
                        with(proc, "server.address", "0.0.0.0", "server.port", (long) (20000 + i)),
                        t0));
                for (int peer : new int[] {(i + 1) % services, (i + 7) % services}) {
                    Map<String, Object> c = with(
                            proc,
                            "network.peer.address",
                            "127.0.0.1",
                            "network.peer.name",
                            "",
                            "server.port",
                            (long) (20000 + peer),
                            "nightjar.role",
                            "client");
                    metrics.add(counter("nightjar.tcp.connects", with(c, "outcome", "established"), 2, t0));
                    metrics.add(counter("nightjar.tcp.bytes", with(c, "direction", "sent"), 4096, t0));
                    Map<String, Object> l7 = with(
                            c,
                            "network.protocol.name",
                            "http",
                            "nightjar.operation",
                            "GET",
                            "nightjar.target",
                            "/api",
                            "nightjar.status",
                            "200");
                    metrics.add(counter("nightjar.l7.requests", l7, 20, t0));
                    metrics.add(counter("nightjar.l7.errors", l7, i % 10 == 0 ? 3 : 0, t0));
                    metrics.add(histogram("nightjar.l7.duration", l7, t0));
                }
                Map<String, Object> ext = with(
                        proc,
                        "network.peer.address",
                        "93.184.216." + (i % 250),
                        "network.peer.name",
                        "api" + (i % 20) + ".example.com",
                        "server.port",
                        443L,
                        "nightjar.role",
                        "client");
                metrics.add(counter("nightjar.tcp.connects", with(ext, "outcome", "established"), 1, t0));
                metrics.add(counter(
                        "nightjar.tcp.connects",
                        with(ext, "outcome", i % 25 == 0 ? "timeout" : "refused"),
                        i % 25 == 0 ? 1 : 0,
                        t0));
            }
            ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                    .addResourceMetrics(ResourceMetrics.newBuilder()
                            .setResource(Resource.newBuilder()
                                    .addAttributes(kv("service.name", "nightjar-sensor"))
                                    .addAttributes(kv("host.name", "bench-node")))
                            .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics)))
                    .build();
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/metrics"))
                            .header("Authorization", "Bearer " + KEY)
                            .header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("seed failed: " + response.statusCode() + " " + response.body());
            }
        }
    }

    static Map<String, Object> with(Map<String, Object> base, Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    static KeyValue kv(String key, Object value) {
        AnyValue.Builder v = AnyValue.newBuilder();
        if (value instanceof Long l) {
            v.setIntValue(l);
        } else {
            v.setStringValue(String.valueOf(value));
        }
        return KeyValue.newBuilder().setKey(key).setValue(v).build();
    }

    static List<KeyValue> attrs(Map<String, Object> a) {
        return a.entrySet().stream().map(e -> kv(e.getKey(), e.getValue())).toList();
    }

    static Metric counter(String name, Map<String, Object> a, double perScrape, long t0) {
        Sum.Builder sum = Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (int i = 0; i < SCRAPES; i++) {
            sum.addDataPoints(NumberDataPoint.newBuilder()
                    .setStartTimeUnixNano((t0 - 1000) * 1_000_000)
                    .setTimeUnixNano((t0 + i * 15_000L) * 1_000_000)
                    .setAsDouble(perScrape * i)
                    .addAllAttributes(attrs(a)));
        }
        return Metric.newBuilder()
                .setName(name)
                .setUnit(name.endsWith("bytes") ? "By" : "1")
                .setSum(sum)
                .build();
    }

    static Metric gauge(String name, Map<String, Object> a, long t0) {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < SCRAPES; i++) {
            g.addDataPoints(NumberDataPoint.newBuilder()
                    .setTimeUnixNano((t0 + i * 15_000L) * 1_000_000)
                    .setAsInt(1)
                    .addAllAttributes(attrs(a)));
        }
        return Metric.newBuilder().setName(name).setUnit("{socket}").setGauge(g).build();
    }

    static Metric histogram(String name, Map<String, Object> a, long t0) {
        Histogram.Builder h = Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (int i = 0; i < SCRAPES; i++) {
            h.addDataPoints(HistogramDataPoint.newBuilder()
                    .setStartTimeUnixNano((t0 - 1000) * 1_000_000)
                    .setTimeUnixNano((t0 + i * 15_000L) * 1_000_000)
                    .setCount(20L * i)
                    .setSum(0.02 * 20 * i)
                    .addAllExplicitBounds(List.of(0.005, 0.01, 0.025, 0.05, 0.1))
                    .addAllBucketCounts(List.of(0L, 5L * i, 10L * i, 5L * i, 0L, 0L))
                    .addAllAttributes(attrs(a)));
        }
        return Metric.newBuilder().setName(name).setUnit("s").setHistogram(h).build();
    }
}
