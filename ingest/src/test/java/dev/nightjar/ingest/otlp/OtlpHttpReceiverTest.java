package dev.nightjar.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the OTLP/HTTP receiver stores and answers for valid logs and spans, in protobuf and JSON. */
class OtlpHttpReceiverTest extends OtlpHttpReceiverFixture {
    @Test
    void protobufLogsAreStoredAndAcknowledged() throws Exception {
        long t = nowNanos();
        var response = post(
                "/v1/logs",
                "application/x-protobuf",
                KEY,
                logs(log("payment failed", t)).toByteArray(),
                false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ExportLogsServiceResponse.parseFrom(response.body()).hasPartialSuccess())
                .isFalse();
        assertThat(stored()).singleElement().satisfies(r -> {
            assertThat(r.bodyText()).isEqualTo("payment failed");
            assertThat(r.timeUnixNano()).isEqualTo(t);
            assertThat(r.resource().serviceName()).isEqualTo("checkout");
            assertThat(r.attributes().getText("http.method")).contains("GET");
        });
        assertThat(meters.get("nightjar.ingest.items.accepted")
                        .tag("signal", "logs")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void gzipJsonWithHexIdsFollowsTheOtlpJsonRules() throws Exception {
        long t = nowNanos();
        String json = """
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
                 "scopeLogs":[{"scope":{"name":"lib"},"logRecords":[{"timeUnixNano":"%d","severityNumber":9,
                 "body":{"stringValue":"hello"},"traceId":"5b8efff798038103d269b633813fc60c",
                 "spanId":"eee19b7ec3c1b174","attributes":[{"key":"n","value":{"intValue":"42"}}],
                 "someFutureField":true}]}]}]}
                """.formatted(t);
        var response =
                post("/v1/logs", "application/json; charset=utf-8", KEY, json.getBytes(StandardCharsets.UTF_8), true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        LogRecord r = stored().getFirst();
        assertThat(r.traceId()).isEqualTo(TraceId.fromHex("5b8efff798038103d269b633813fc60c"));
        assertThat(r.spanId().toHex()).isEqualTo("eee19b7ec3c1b174");
        assertThat(r.attributes().get("n").orElseThrow()).isEqualTo(dev.nightjar.core.telemetry.AttributeValue.of(42L));
        assertThat(r.scope().name()).isEqualTo("lib");
    }

    @Test
    void invalidItemsAreRejectedExactlyInPartialSuccess() throws Exception {
        long t = nowNanos();
        var tooMany = log("many attributes", t).toBuilder();
        for (int i = 0; i < 10_000; i++) {
            tooMany.addAttributes(kv("k" + i, "v"));
        }
        var badTrace = log("bad trace id", t).toBuilder()
                .setTraceId(ByteString.copyFrom(new byte[3]))
                .build();
        var badSeverity =
                log("bad severity", t).toBuilder().setSeverityNumberValue(99).build();
        var longBody = log("x".repeat(5000), t);
        byte[] body = logs(log("fine", t), tooMany.build(), badTrace, badSeverity, longBody)
                .toByteArray();
        var response = post("/v1/logs", "application/x-protobuf", KEY, body, true);
        assertThat(response.statusCode()).isEqualTo(200);
        var partial = ExportLogsServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedLogRecords()).isEqualTo(4);
        assertThat(partial.getErrorMessage()).contains("10001 attributes, more than the limit 64");
        assertThat(stored()).extracting(LogRecord::bodyText).containsExactly("fine");
    }

    @Test
    void jsonPartialSuccessIsJson() throws Exception {
        String json = """
                {"resourceSpans":[{"scopeSpans":[{"spans":[
                 {"traceId":"not-hex-at-all-not-hex-at-all-00","spanId":"eee19b7ec3c1b174","name":"x","startTimeUnixNano":"1"}]}]}]}
                """;
        var response = post("/v1/traces", "application/json", KEY, json.getBytes(StandardCharsets.UTF_8), false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"rejectedSpans\":\"1\"");
    }

    @Test
    void spansAreStored() throws Exception {
        long t = nowNanos();
        byte[] trace = TraceId.fromHex("0102030405060708090a0b0c0d0e0f10").toBytes();
        var request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "cart")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                        .setTraceId(ByteString.copyFrom(trace))
                                        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                                        .setName("GET /cart")
                                        .setKindValue(2)
                                        .setStartTimeUnixNano(t)
                                        .setEndTimeUnixNano(t + 5_000_000))))
                .build();
        var response = post("/v1/traces", "application/x-protobuf", KEY, request.toByteArray(), false);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Span> spans = storage.spanReader().getTrace(TENANT, TraceId.fromBytes(trace));
        assertThat(spans).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("GET /cart");
            assertThat(s.durationNanos()).isEqualTo(5_000_000);
        });
    }
}
