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
import java.nio.charset.StandardCharsets;
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
        Out out = new Out(256);
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
        In in = new In(bytes, offset, length);
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
        Out out = new Out(256);
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
        In in = new In(bytes, offset, length);
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
        Out out = new Out(512);
        out.b(1);
        attributes(out, r.attributes());
        return out.toArray();
    }

    static Resource decodeResource(byte[] bytes, int offset, int length) {
        In in = new In(bytes, offset, length);
        if (in.b() != 1) {
            throw new IllegalStateException("unknown resource format");
        }
        return new Resource(attributes(in));
    }

    // ---- shared parts ----

    static void scope(Out out, InstrumentationScope s) {
        out.str(s.name());
        out.str(s.version());
        attributes(out, s.attributes());
    }

    static InstrumentationScope scope(In in) {
        String name = in.str();
        String version = in.str();
        Attributes attrs = attributes(in);
        return name.isEmpty() && version.isEmpty() && attrs.isEmpty()
                ? InstrumentationScope.EMPTY
                : new InstrumentationScope(name, version, attrs);
    }

    static void attributes(Out out, Attributes a) {
        out.vlong(a.size());
        for (Map.Entry<String, AttributeValue> e : a.asMap().entrySet()) {
            out.str(e.getKey());
            value(out, e.getValue());
        }
    }

    static Attributes attributes(In in) {
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

    static void value(Out out, AttributeValue v) {
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

    static AttributeValue value(In in) {
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

    // ---- byte buffers ----

    static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        void b(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void bytes(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        void fixed64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[len++] = (byte) (v >>> (56 - 8 * i));
            }
        }

        void vlong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void zlong(long v) {
            vlong((v << 1) ^ (v >> 63));
        }

        /** UTF-8 when the string is well-formed (length*2), else raw UTF-16 (length*2+1). */
        void str(String s) {
            // ASCII (nearly every name, key and value) is its own UTF-8: written in place, without the
            // well-formedness scan and the intermediate array of getBytes.
            int n = s.length();
            ensure(10 + n);
            int start = len;
            vlong((long) n << 1);
            int ascii = 0;
            for (; ascii < n; ascii++) {
                char c = s.charAt(ascii);
                if (c >= 0x80) {
                    break;
                }
                buf[len++] = (byte) c;
            }
            if (ascii == n) {
                return;
            }
            len = start;
            if (wellFormed(s)) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                vlong((long) utf8.length << 1);
                bytes(utf8, 0, utf8.length);
            } else {
                vlong(((long) s.length() << 1) | 1);
                ensure(s.length() * 2);
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    buf[len++] = (byte) (c >>> 8);
                    buf[len++] = (byte) c;
                }
            }
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, len);
        }

        BytesRef toBytesRef() {
            return new BytesRef(buf, 0, len);
        }
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    static final class In {
        private final byte[] buf;
        private int pos;
        private final int end;

        In(byte[] buf, int offset, int length) {
            this.buf = buf;
            this.pos = offset;
            this.end = offset + length;
        }

        int b() {
            check(1);
            return buf[pos++] & 0xFF;
        }

        long fixed64() {
            check(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }

        long vlong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = b();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalStateException("corrupt varint");
        }

        long zlong() {
            long v = vlong();
            return (v >>> 1) ^ -(v & 1);
        }

        byte[] bytes(int n) {
            check(n);
            byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        String str() {
            long header = vlong();
            int n = (int) (header >>> 1);
            if ((header & 1) == 0) {
                check(n);
                String s = new String(buf, pos, n, StandardCharsets.UTF_8);
                pos += n;
                return s;
            }
            check(n * 2);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                chars[i] = (char) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
                pos += 2;
            }
            return new String(chars);
        }

        private void check(int n) {
            if (n < 0 || pos + n > end) {
                throw new IllegalStateException("truncated record");
            }
        }
    }
}
