package dev.nightjar.ingest.otlp;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.ingest.IngestLimits;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;

/** Converts OTLP common messages (values, attributes, resource, scope, ids) and enforces the item caps. */
final class OtlpValues {
    private final IngestLimits limits;

    OtlpValues(IngestLimits limits) {
        this.limits = limits;
    }

    Attributes attributes(List<KeyValue> kvs, String where) {
        if (kvs.isEmpty()) {
            return Attributes.EMPTY;
        }
        if (kvs.size() > limits.maxAttributes()) {
            throw new InvalidItemException(
                    where + " has " + kvs.size() + " attributes, more than the limit " + limits.maxAttributes());
        }
        Attributes.Builder b = Attributes.builder();
        for (KeyValue kv : kvs) {
            String key = kv.getKey();
            if (key.isEmpty() || key.indexOf('\0') >= 0 || key.length() > limits.maxValueLength()) {
                throw new InvalidItemException(where + " has an empty, too long or NUL-containing attribute key");
            }
            b.put(key, value(kv.getValue(), 0, where));
        }
        return b.build();
    }

    AttributeValue value(AnyValue v, int depth, String where) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> {
                String s = v.getStringValue();
                checkLength(s.length(), where);
                yield AttributeValue.of(s);
            }
            case BOOL_VALUE -> AttributeValue.of(v.getBoolValue());
            case INT_VALUE -> AttributeValue.of(v.getIntValue());
            case DOUBLE_VALUE -> AttributeValue.of(v.getDoubleValue());
            case BYTES_VALUE -> {
                checkLength(v.getBytesValue().size(), where);
                yield AttributeValue.ofBytes(v.getBytesValue().toByteArray());
            }
            case ARRAY_VALUE -> {
                checkDepth(depth, where);
                var values = v.getArrayValue().getValuesList();
                if (values.size() > limits.maxAttributes()) {
                    throw new InvalidItemException(
                            where + " has an array value with more than " + limits.maxAttributes() + " elements");
                }
                List<AttributeValue> out = new ArrayList<>(values.size());
                for (AnyValue e : values) {
                    out.add(value(e, depth + 1, where));
                }
                yield AttributeValue.ofArray(out);
            }
            case KVLIST_VALUE -> {
                checkDepth(depth, where);
                yield new AttributeValue.MapValue(attributes(v.getKvlistValue().getValuesList(), where));
            }
            // OTLP: an empty AnyValue is valid and means "no value"; it is kept as an empty string.
            case VALUE_NOT_SET -> AttributeValue.of("");
            default -> throw new InvalidItemException(where + " has a value of unsupported kind " + v.getValueCase());
        };
    }

    private void checkLength(int length, String where) {
        if (length > limits.maxValueLength()) {
            throw new InvalidItemException(where + " has a value of " + length + " characters, more than the limit "
                    + limits.maxValueLength());
        }
    }

    private void checkDepth(int depth, String where) {
        if (depth + 1 >= limits.maxValueDepth()) {
            throw new InvalidItemException(where + " nests values deeper than " + limits.maxValueDepth());
        }
    }

    Resource resource(io.opentelemetry.proto.resource.v1.Resource r) {
        return r.getAttributesCount() == 0
                ? Resource.EMPTY
                : new Resource(attributes(r.getAttributesList(), "resource"));
    }

    InstrumentationScope scope(io.opentelemetry.proto.common.v1.InstrumentationScope s) {
        if (s.getName().isEmpty() && s.getVersion().isEmpty() && s.getAttributesCount() == 0) {
            return InstrumentationScope.EMPTY;
        }
        if (s.getName().length() > limits.maxValueLength() || s.getVersion().length() > limits.maxValueLength()) {
            throw new InvalidItemException("scope name or version is longer than " + limits.maxValueLength());
        }
        return new InstrumentationScope(s.getName(), s.getVersion(), attributes(s.getAttributesList(), "scope"));
    }

    /** A trace id, or null when absent (empty or all zero, which OTLP treats as unset). */
    static TraceId optionalTraceId(com.google.protobuf.ByteString b, String where) {
        if (b.isEmpty()) {
            return null;
        }
        if (b.size() != 16) {
            throw new InvalidItemException(where + " has a trace id of " + b.size() + " bytes, not 16");
        }
        long high = longAt(b, 0);
        long low = longAt(b, 8);
        return high == 0 && low == 0 ? null : new TraceId(high, low);
    }

    static SpanId optionalSpanId(com.google.protobuf.ByteString b, String where) {
        if (b.isEmpty()) {
            return null;
        }
        if (b.size() != 8) {
            throw new InvalidItemException(where + " has a span id of " + b.size() + " bytes, not 8");
        }
        long value = longAt(b, 0);
        return value == 0 ? null : new SpanId(value);
    }

    static TraceId requiredTraceId(com.google.protobuf.ByteString b, String where) {
        TraceId id = optionalTraceId(b, where);
        if (id == null) {
            throw new InvalidItemException(where + " has no trace id (empty or all zero)");
        }
        return id;
    }

    static SpanId requiredSpanId(com.google.protobuf.ByteString b, String where) {
        SpanId id = optionalSpanId(b, where);
        if (id == null) {
            throw new InvalidItemException(where + " has no span id (empty or all zero)");
        }
        return id;
    }

    /** OTLP times are unsigned 64-bit; past 2262 they do not fit the signed nanoseconds the store keeps. */
    static long time(long unsignedNanos, String what) {
        if (unsignedNanos < 0) {
            throw new InvalidItemException(what + " is beyond the year 2262");
        }
        return unsignedNanos;
    }

    /** Big-endian, as the ids' {@code fromBytes}; read in place, since three ids per span made three arrays. */
    private static long longAt(com.google.protobuf.ByteString b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b.byteAt(at + i) & 0xFF);
        }
        return v;
    }
}
