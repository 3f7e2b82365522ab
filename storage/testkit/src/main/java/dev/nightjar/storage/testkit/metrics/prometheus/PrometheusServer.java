package dev.nightjar.storage.testkit.metrics.prometheus;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.SeriesSamples;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real Prometheus started as a child process on a loopback port with its own data directory,
 * fed through remote write and queried through its HTTP API. Used as the reference peer by the
 * differential test and the benchmark.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;
    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Where this Prometheus listens, for tests that talk to its HTTP API themselves. */
    public URI uri() {
        return base;
    }

    /** Starts Prometheus and waits until it answers {@code /-/ready}. */
    public static PrometheusServer start(Path workDir, int port) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\n");
        ProcessBuilder builder = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + workDir.resolve("data"),
                        "--storage.tsdb.retention.time=100y",
                        "--web.listen-address=127.0.0.1:" + port,
                        "--web.enable-remote-write-receiver",
                        "--query.lookback-delta=5m",
                        "--query.max-samples=50000000",
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prometheus.log").toFile());
        Process process = builder.start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(workDir.resolve("prometheus.log")));
            }
            try {
                HttpResponse<String> r = server.http.send(
                        HttpRequest.newBuilder(server.base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        server.close();
        throw new IOException("prometheus did not become ready");
    }

    /**
     * Sends series through remote write in time order: Prometheus refuses samples more than an hour
     * behind its head, so the series are cut into slices of {@code sliceMs} sent oldest first.
     */
    public void remoteWriteInTimeOrder(List<SeriesSamples> series, long sliceMs, int seriesPerRequest)
            throws IOException, InterruptedException {
        for (List<SeriesSamples> slice : timeSlices(series, sliceMs)) {
            remoteWrite(slice, seriesPerRequest);
        }
    }

    /**
     * The series cut into consecutive time slices of {@code sliceMs}, oldest first, each holding the
     * series that have samples in it; so any receiver can be fed exactly what Prometheus was.
     */
    public static List<List<SeriesSamples>> timeSlices(List<SeriesSamples> series, long sliceMs) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (SeriesSamples s : series) {
            for (var sample : s.samples()) {
                min = Math.min(min, sample.timestampMs());
                max = Math.max(max, sample.timestampMs());
            }
        }
        List<List<SeriesSamples>> slices = new ArrayList<>();
        for (long from = min; from <= max; from += sliceMs) {
            List<SeriesSamples> slice = new ArrayList<>();
            for (SeriesSamples s : series) {
                final long lo = from;
                List<dev.nightjar.core.metrics.Sample> part = s.samples().stream()
                        .filter(x -> x.timestampMs() >= lo && x.timestampMs() < lo + sliceMs)
                        .toList();
                if (!part.isEmpty()) {
                    slice.add(new SeriesSamples(s.labels(), part));
                }
            }
            slices.add(slice);
        }
        return slices;
    }

    /** Sends series through remote write, in requests of at most {@code seriesPerRequest}. */
    public void remoteWrite(List<SeriesSamples> series, int seriesPerRequest) throws IOException, InterruptedException {
        for (int from = 0; from < series.size(); from += seriesPerRequest) {
            byte[] body =
                    RemoteWriteEncoder.encode(series.subList(from, Math.min(series.size(), from + seriesPerRequest)));
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/write"))
                    .header("Content-Type", "application/x-protobuf")
                    .header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("remote write failed: " + r.statusCode() + " " + r.body());
            }
        }
    }

    /** One answer of the query API: a result or an error type. */
    public record Answer(String errorType, String error, String resultType, List<Series> series, double scalar) {}

    /** A result series: labels and points (for a vector, one point). */
    public record Series(Labels labels, long[] timestampsMs, double[] values) {}

    public Answer instant(String query, long timeMs) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + enc(query) + "&time=" + seconds(timeMs));
    }

    public Answer range(String query, long startMs, long endMs, long stepMs) throws IOException, InterruptedException {
        return get("/api/v1/query_range?query=" + enc(query) + "&start=" + seconds(startMs) + "&end=" + seconds(endMs)
                + "&step=" + seconds(stepMs));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(long ms) {
        return Math.floorDiv(ms, 1000) + "." + String.format("%03d", Math.floorMod(ms, 1000));
    }

    @SuppressWarnings("unchecked")
    private Answer get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve(pathAndQuery))
                        .timeout(Duration.ofMinutes(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(r.body());
        if (!"success".equals(json.get("status"))) {
            return new Answer((String) json.get("errorType"), (String) json.get("error"), null, List.of(), Double.NaN);
        }
        Map<String, Object> data = (Map<String, Object>) json.get("data");
        String type = (String) data.get("resultType");
        if (type.equals("scalar") || type.equals("string")) {
            List<Object> point = (List<Object>) data.get("result");
            double v = type.equals("scalar") ? parseValue((String) point.get(1)) : Double.NaN;
            return new Answer(null, null, type, List.of(), v);
        }
        List<Series> out = new ArrayList<>();
        for (Object o : (List<Object>) data.get("result")) {
            Map<String, Object> item = (Map<String, Object>) o;
            Map<String, String> metric = new TreeMap<>();
            ((Map<String, Object>) item.get("metric")).forEach((k, v) -> metric.put(k, (String) v));
            List<List<Object>> points = item.containsKey("values")
                    ? (List<List<Object>>) item.get("values")
                    : List.of((List<Object>) item.get("value"));
            long[] ts = new long[points.size()];
            double[] vs = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                ts[i] = Math.round((Double) points.get(i).get(0) * 1000);
                vs[i] = parseValue((String) points.get(i).get(1));
            }
            out.add(new Series(Labels.from(metric), ts, vs));
        }
        return new Answer(null, null, type, out, Double.NaN);
    }

    private static double parseValue(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** Size of the Prometheus data directory's blocks (for the benchmark). */
    public static long blockBytes(Path workDir) throws IOException {
        Path data = workDir.resolve("data");
        long total = 0;
        try (var walk = Files.walk(data)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Path rel = data.relativize(p);
                String first = rel.getName(0).toString();
                if (first.startsWith("01")) {
                    total += Files.size(p);
                }
            }
        }
        return total;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(20))) {
                process.destroyForcibly();
                process.waitFor(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
