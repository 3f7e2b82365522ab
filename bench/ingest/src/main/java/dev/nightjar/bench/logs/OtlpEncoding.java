package dev.nightjar.bench.logs;

import com.google.protobuf.ByteString;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.traces.Span;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The generator's records as OTLP export requests, grouped by resource as an SDK or Collector sends them. */
final class OtlpEncoding {
    private OtlpEncoding() {}

    static byte[] logs(List<LogRecord> batch) {
        Map<dev.nightjar.core.telemetry.Resource, ScopeLogs.Builder> byResource = new LinkedHashMap<>();
        for (LogRecord r : batch) {
            ScopeLogs.Builder scope = byResource.computeIfAbsent(
                    r.resource(),
                    res -> ScopeLogs.newBuilder()
                            .setScope(InstrumentationScope.newBuilder()
                                    .setName(r.scope().name())
                                    .setVersion(r.scope().version())));
            var b = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                    .setTimeUnixNano(r.timeUnixNano())
                    .setObservedTimeUnixNano(r.observedTimeUnixNano())
                    .setSeverityNumberValue(r.severityNumber())
                    .setSeverityText(r.severityText())
                    .setBody(any(r.body()))
                    .addAllAttributes(kvs(r.attributes()))
                    .setFlags(r.flags());
            if (r.traceId() != null) {
                b.setTraceId(ByteString.copyFrom(r.traceId().toBytes()));
            }
            if (r.spanId() != null) {
                b.setSpanId(ByteString.copyFrom(r.spanId().toBytes()));
            }
            scope.addLogRecords(b);
        }
        ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
        byResource.forEach((res, scope) -> req.addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(kvs(res.attributes())))
                .addScopeLogs(scope)));
        return req.build().toByteArray();
    }

    static byte[] spans(List<Span> batch) {
        Map<dev.nightjar.core.telemetry.Resource, ScopeSpans.Builder> byResource = new LinkedHashMap<>();
        for (Span s : batch) {
            ScopeSpans.Builder scope = byResource.computeIfAbsent(
                    s.resource(),
                    res -> ScopeSpans.newBuilder()
                            .setScope(InstrumentationScope.newBuilder()
                                    .setName(s.scope().name())
                                    .setVersion(s.scope().version())));
            var b = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(s.traceId().toBytes()))
                    .setSpanId(ByteString.copyFrom(s.spanId().toBytes()))
                    .setTraceState(s.traceState())
                    .setName(s.name())
                    .setKindValue(s.kind().ordinal())
                    .setStartTimeUnixNano(s.startTimeUnixNano())
                    .setEndTimeUnixNano(s.endTimeUnixNano())
                    .addAllAttributes(kvs(s.attributes()))
                    .setFlags(s.flags())
                    .setStatus(Status.newBuilder()
                            .setCodeValue(s.status().code().ordinal())
                            .setMessage(s.status().message()));
            if (s.parentSpanId() != null) {
                b.setParentSpanId(ByteString.copyFrom(s.parentSpanId().toBytes()));
            }
            s.events()
                    .forEach(e -> b.addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                            .setTimeUnixNano(e.timeUnixNano())
                            .setName(e.name())
                            .addAllAttributes(kvs(e.attributes()))));
            scope.addSpans(b);
        }
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        byResource.forEach((res, scope) -> req.addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(kvs(res.attributes())))
                .addScopeSpans(scope)));
        return req.build().toByteArray();
    }

    static List<KeyValue> kvs(Attributes attributes) {
        return attributes.asMap().entrySet().stream()
                .map(e -> KeyValue.newBuilder()
                        .setKey(e.getKey())
                        .setValue(any(e.getValue()))
                        .build())
                .toList();
    }

    static AnyValue any(AttributeValue v) {
        return switch (v) {
            case AttributeValue.StringValue s ->
                AnyValue.newBuilder().setStringValue(s.value()).build();
            case AttributeValue.BoolValue b ->
                AnyValue.newBuilder().setBoolValue(b.value()).build();
            case AttributeValue.LongValue l ->
                AnyValue.newBuilder().setIntValue(l.value()).build();
            case AttributeValue.DoubleValue d ->
                AnyValue.newBuilder().setDoubleValue(d.value()).build();
            case AttributeValue.BytesValue b ->
                AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFrom(b.value()))
                        .build();
            case AttributeValue.ArrayValue a ->
                AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder()
                                .addAllValues(a.values().stream()
                                        .map(OtlpEncoding::any)
                                        .toList()))
                        .build();
            case AttributeValue.MapValue m ->
                AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.newBuilder().addAllValues(kvs(m.values())))
                        .build();
        };
    }
}
