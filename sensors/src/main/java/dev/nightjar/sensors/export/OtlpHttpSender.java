package dev.nightjar.sensors.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** POSTs protobuf OTLP batches to {endpoint}/v1/metrics or /v1/traces with the configured headers. */
final class OtlpHttpSender {

    enum Outcome {
        SENT,
        RETRY,
        REJECTED
    }

    // Plain HTTP/1.1: the JDK client's default (HTTP/2) asks an http:// server for an h2c upgrade,
    // so the sensor's own exports showed once as status 101 and then as HTTP/2, which its L7
    // parser does not read; on HTTP/1.1 they are observed like any other client's requests.
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI metrics;
    private final URI traces;
    private final Map<String, String> headers;

    OtlpHttpSender(String endpoint, Map<String, String> headers) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.metrics = URI.create(base + "/v1/metrics");
        this.traces = URI.create(base + "/v1/traces");
        this.headers = Map.copyOf(headers);
    }

    Outcome send(String signal, byte[] batch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(signal.equals("traces") ? traces : metrics)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch));
        headers.forEach(request::header);
        try {
            int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status / 100 == 2) {
                return Outcome.SENT;
            }
            // OTLP/HTTP: these are the retryable statuses; other 4xx will never succeed.
            return status == 429 || status == 502 || status == 503 || status == 504 || status >= 500
                    ? Outcome.RETRY
                    : Outcome.REJECTED;
        } catch (IOException e) {
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        }
    }
}
