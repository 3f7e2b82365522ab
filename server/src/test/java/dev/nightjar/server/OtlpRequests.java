package dev.nightjar.server;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Hand-built OTLP requests for tests that need exact control over what is sent. */
final class OtlpRequests {
    private OtlpRequests() {}

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    static LogRecord log(String body) {
        return LogRecord.newBuilder()
                .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                .setSeverityNumberValue(9)
                .setSeverityText("INFO")
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .build();
    }

    static ExportLogsServiceRequest logs(String service, List<LogRecord> records) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(records)))
                .build();
    }

    static ExportTraceServiceRequest span(String service, byte[] traceId, String name) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(Span.newBuilder()
                                        .setTraceId(ByteString.copyFrom(traceId))
                                        .setSpanId(ByteString.copyFrom(new byte[] {9, 8, 7, 6, 5, 4, 3, 2}))
                                        .setName(name)
                                        .setStartTimeUnixNano(now)
                                        .setEndTimeUnixNano(now + 1000))))
                .build();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> post(ServerProcess server, String path, String key, byte[] body, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip ? gzip(body) : body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (gzip) {
            b.header("Content-Encoding", "gzip");
        }
        return server.send(b);
    }
}
