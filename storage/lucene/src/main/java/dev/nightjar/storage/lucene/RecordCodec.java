package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanEvent;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanLink;
import dev.nightjar.core.traces.SpanStatus;
import dev.nightjar.core.traces.StatusCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.BytesRef;

/**
 * The compact binary form of a record kept in the {@code src} stored field (compressed by the codec).
 * Lossless, including strings with unpaired surrogates. The first byte is a format version.
 */
final class RecordCodec {

    private static final byte LOG_V1 = 1;
    private static final byte SPAN_V1 = 1;

    private RecordCodec() {}

    // ---- logs ----

    static byte[] encode(LogRecord r) {
        ByteWriter out = new ByteWriter(256);
        out.b(LOG_V1);
        out.fixed64(r.timeUnixNano());
        out.zlong(r.observedTimeUnixNano() - r.timeUnixNano());
        out.b(r.severityNumber());
        out.str(r.severityText());
        value(out, r.body());
        attributes(out, r.attributes());
        out.b((r.traceId() != null ? 1 : 0) | (r.spanId() != null ? 2 : 0));
        if (r.traceId() != null) {
            out.fixed64(r.traceId().high());
            out.fixed64(r.traceId().low());
        }
        if (r.spanId() != null) {
            out.fixed64(r.spanId().value());
        }
        out.vlong(r.flags() & 0xFFFFFFFFL);
        scope(out, r.scope());
        return out.toArray();
    }

    /** Decodes a record stored without its resource (the partition's resource table holds it). */
    static LogRecord decodeLog(byte[] bytes, int offset, int length, Resource resource) {
        ByteReader in = new ByteReader(bytes, offset, length);
        if (in.b() != LOG_V1) {
            throw new IllegalStateException("unknown log record format");
        }
        long time = in.fixed64();
        long observed = time + in.zlong();
        int severity = in.b();
        String severityText = in.str();
        AttributeValue body = value(in);
        Attributes attrs = attributes(in);
        int ids = in.b();
        TraceId trace = (ids & 1) != 0 ? new TraceId(in.fixed64(), in.fixed64()) : null;
        SpanId span = (ids & 2) != 0 ? new SpanId(in.fixed64()) : null;
        int flags = (int) in.vlong();
        InstrumentationScope scope = scope(in);
        return new LogRecord(time, observed, severity, severityText, body, attrs, trace, span, flags, resource, scope);
    }

    // ---- spans ----

    /** The stored form of a span, over the encoder's buffer (the stored field copies it; no second array). */
    static BytesRef encodeSpan(Span s) {
        ByteWriter out = new ByteWriter(256);
        out.b(SPAN_V1);
        out.fixed64(s.traceId().high());
        out.fixed64(s.traceId().low());
        out.fixed64(s.spanId().value());
        out.b(s.parentSpanId() != null ? 1 : 0);
        if (s.parentSpanId() != null) {
            out.fixed64(s.parentSpanId().value());
        }
        out.str(s.traceState());
        out.vlong(s.flags() & 0xFFFFFFFFL);
        out.str(s.name());
        out.b(s.kind().ordinal());
        out.fixed64(s.startTimeUnixNano());
        out.zlong(s.endTimeUnixNano() - s.startTimeUnixNano());
        attributes(out, s.attributes());
        out.vlong(s.events().size());
        for (SpanEvent e : s.events()) {
            out.zlong(e.timeUnixNano() - s.startTimeUnixNano());
            out.str(e.name());
            attributes(out, e.attributes());
        }
        out.vlong(s.links().size());
        for (SpanLink l : s.links()) {
            out.fixed64(l.traceId().high());
            out.fixed64(l.traceId().low());
            out.fixed64(l.spanId().value());
            out.str(l.traceState());
            attributes(out, l.attributes());
        }
        out.b(s.status().code().ordinal());
        out.str(s.status().message());
        scope(out, s.scope());
        return out.toBytesRef();
    }

    static Span decodeSpan(byte[] bytes, int offset, int length, Resource resource) {
        ByteReader in = new ByteReader(bytes, offset, length);
        if (in.b() != SPAN_V1) {
            throw new IllegalStateException("unknown span format");
        }
        TraceId trace = new TraceId(in.fixed64(), in.fixed64());
        SpanId span = new SpanId(in.fixed64());
        SpanId parent = in.b() == 1 ? new SpanId(in.fixed64()) : null;
        String traceState = in.str();
        int flags = (int) in.vlong();
        String name = in.str();
        SpanKind kind = SpanKind.fromNumber(in.b());
        long start = in.fixed64();
        long end = start + in.zlong();
        Attributes attrs = attributes(in);
        int nEvents = (int) in.vlong();
        List<SpanEvent> events = new ArrayList<>(nEvents);
        for (int i = 0; i < nEvents; i++) {
            events.add(new SpanEvent(start + in.zlong(), in.str(), attributes(in)));
        }
        int nLinks = (int) in.vlong();
        List<SpanLink> links = new ArrayList<>(nLinks);
        for (int i = 0; i < nLinks; i++) {
            links.add(new SpanLink(
                    new TraceId(in.fixed64(), in.fixed64()), new SpanId(in.fixed64()), in.str(), attributes(in)));
        }
        SpanStatus status = new SpanStatus(StatusCode.fromNumber(in.b()), in.str());
        InstrumentationScope scope = scope(in);
        return new Span(
                trace,
                span,
                traceState,
                parent,
                flags,
                name,
                kind,
                start,
                end,
                attrs,
                events,
                links,
                status,
                resource,
                scope);
    }

    // ---- resources ----

    static byte[] encode(Resource r) {
        ByteWriter out = new ByteWriter(512);
        out.b(1);
        attributes(out, r.attributes());
        return out.toArray();
    }

    static Resource decodeResource(byte[] bytes, int offset, int length) {
        ByteReader in = new ByteReader(bytes, offset, length);
        if (in.b() != 1) {
            throw new IllegalStateException("unknown resource format");
        }
        return new Resource(attributes(in));
    }

    // ---- shared parts ----

    static void scope(ByteWriter out, InstrumentationScope s) {
        out.str(s.name());
        out.str(s.version());
        attributes(out, s.attributes());
    }

    static InstrumentationScope scope(ByteReader in) {
        String name = in.str();
        String version = in.str();
        Attributes attrs = attributes(in);
        return name.isEmpty() && version.isEmpty() && attrs.isEmpty()
                ? InstrumentationScope.EMPTY
                : new InstrumentationScope(name, version, attrs);
    }

    static void attributes(ByteWriter out, Attributes a) {
        out.vlong(a.size());
        for (Map.Entry<String, AttributeValue> e : a.asMap().entrySet()) {
            out.str(e.getKey());
            value(out, e.getValue());
        }
    }

    static Attributes attributes(ByteReader in) {
        int n = (int) in.vlong();
        if (n == 0) {
            return Attributes.EMPTY;
        }
        Map<String, AttributeValue> m = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            m.put(in.str(), value(in));
        }
        return new Attributes(m);
    }

    static void value(ByteWriter out, AttributeValue v) {
        switch (v) {
            case AttributeValue.StringValue s -> {
                out.b(0);
                out.str(s.value());
            }
            case AttributeValue.BoolValue b -> out.b(b.value() ? 11 : 1);
            case AttributeValue.LongValue l -> {
                out.b(2);
                out.zlong(l.value());
            }
            case AttributeValue.DoubleValue d -> {
                out.b(3);
                out.fixed64(Double.doubleToRawLongBits(d.value()));
            }
            case AttributeValue.BytesValue b -> {
                byte[] raw = b.value();
                out.b(4);
                out.vlong(raw.length);
                out.bytes(raw, 0, raw.length);
            }
            case AttributeValue.ArrayValue a -> {
                out.b(5);
                out.vlong(a.values().size());
                for (AttributeValue e : a.values()) {
                    value(out, e);
                }
            }
            case AttributeValue.MapValue m -> {
                out.b(6);
                attributes(out, m.values());
            }
        }
    }

    static AttributeValue value(ByteReader in) {
        int type = in.b();
        return switch (type) {
            case 0 -> new AttributeValue.StringValue(in.str());
            case 1 -> new AttributeValue.BoolValue(false);
            case 11 -> new AttributeValue.BoolValue(true);
            case 2 -> new AttributeValue.LongValue(in.zlong());
            case 3 -> new AttributeValue.DoubleValue(Double.longBitsToDouble(in.fixed64()));
            case 4 -> new AttributeValue.BytesValue(in.bytes((int) in.vlong()));
            case 5 -> {
                int n = (int) in.vlong();
                List<AttributeValue> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(value(in));
                }
                yield new AttributeValue.ArrayValue(values);
            }
            case 6 -> new AttributeValue.MapValue(attributes(in));
            default -> throw new IllegalStateException("unknown value type " + type);
        };
    }
}
