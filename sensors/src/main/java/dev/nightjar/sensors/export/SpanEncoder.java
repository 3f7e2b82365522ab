package dev.nightjar.sensors.export;

import com.google.protobuf.ByteString;
import dev.nightjar.sensors.L7State.Call;
import dev.nightjar.sensors.L7State.CallKey;
import dev.nightjar.sensors.ProcessState.ProcessInfo;
import dev.nightjar.sensors.Sensor;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.sensors.export.MetricsBuilder.Attr;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * L7 calls as OTLP spans. The kernel sees no trace context, so each span starts its own trace;
 * the backend joins client and server sides by address, port and time.
 */
public final class SpanEncoder {

    private final Sensor sensor;
    private final String nodeName;
    private final Random random = new SecureRandom();

    public SpanEncoder(Sensor sensor, String nodeName) {
        this.sensor = sensor;
        this.nodeName = nodeName;
    }

    public ExportTraceServiceRequest encode(List<Call> calls) {
        // bpf_ktime_get_ns and System.nanoTime are both CLOCK_MONOTONIC.
        long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("dev.nightjar.sensors"));
        for (Call call : calls) {
            CallKey k = call.key();
            ProcessInfo process = sensor.processes().describe(k.pid());
            long end = call.endNanos() + epochOffset;
            String name =
                    k.protocol().equals("http") ? k.operation() + " " + k.target() : k.operation() + " " + k.target();
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(randomBytes(16)))
                    .setSpanId(ByteString.copyFrom(randomBytes(8)))
                    .setName(name.strip())
                    .setKind(k.role() == Role.SERVER ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(end - call.latencyNanos())
                    .setEndTimeUnixNano(end)
                    .setStatus(Status.newBuilder()
                            .setCode(
                                    call.error()
                                            ? Status.StatusCode.STATUS_CODE_ERROR
                                            : Status.StatusCode.STATUS_CODE_UNSET))
                    .addAllAttributes(MetricsBuilder.keyValues(
                            Attr.of("process.pid", (long) k.pid()),
                            Attr.of("process.executable.path", process.executable()),
                            Attr.of("container.id", process.container()),
                            Attr.of("network.protocol.name", k.protocol()),
                            Attr.of("network.peer.address", k.peerAddress()),
                            Attr.of(
                                    "network.peer.name",
                                    sensor.hostnames().nameOf(k.peerAddress()).orElse("")),
                            Attr.of("server.port", (long) k.port()),
                            Attr.of("nightjar.role", k.role().name().toLowerCase(Locale.ROOT)),
                            Attr.of("nightjar.operation", k.operation()),
                            Attr.of("nightjar.target", k.target()),
                            Attr.of("nightjar.status", k.status()))));
        }
        Resource resource = Resource.newBuilder()
                .addAllAttributes(MetricsBuilder.keyValues(
                        Attr.of("service.name", "nightjar-sensor"), Attr.of("host.name", nodeName)))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                        ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
