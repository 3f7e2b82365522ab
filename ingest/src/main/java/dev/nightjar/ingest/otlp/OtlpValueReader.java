package dev.nightjar.ingest.otlp;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.ingest.IngestLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The OTLP common messages for {@link OtlpLogsDecoder}: {@code KeyValue}, {@code AnyValue} and trace and
 * span ids, with the limits {@link OtlpLogsMapper} applies to them. Apart from the logs messages because
 * these are the shared vocabulary of resources, scopes and records; each gives up where the mapper would
 * reject or where protobuf's merge rules would apply.
 */
abstract class OtlpValueReader extends ProtoWire {

    final IngestLimits limits;

    OtlpValueReader(byte[] buf, ProtoStrings strings, IngestLimits limits) {
        super(buf, strings);
        this.limits = limits;
    }

    /** The mapper keeps an all-zero id as absent and rejects other lengths than 16 and 8 bytes. */
    final TraceId traceId(int length) {
        if (length == 0) {
            return null;
        }
        if (length != 16) {
            throw GIVE_UP;
        }
        long high = bigEndian(pos);
        long low = bigEndian(pos + 8);
        pos += 16;
        return high == 0 && low == 0 ? null : new TraceId(high, low);
    }

    final SpanId spanId(int length) {
        if (length == 0) {
            return null;
        }
        if (length != 8) {
            throw GIVE_UP;
        }
        long value = bigEndian(pos);
        pos += 8;
        return value == 0 ? null : new SpanId(value);
    }

    final void keyValue(int end, Attributes.Builder into) {
        String key = null;
        AttributeValue value = null;
        while (pos < end) {
            switch (tag()) {
                case 1 << 3 | LEN -> {
                    if (key != null) {
                        throw GIVE_UP;
                    }
                    key = string();
                }
                case 2 << 3 | LEN -> {
                    if (value != null) {
                        throw GIVE_UP;
                    }
                    value = anyValue(message(), 0);
                    leave();
                }
                default -> throw GIVE_UP;
            }
        }
        checkEnd(end);
        if (key == null || key.isEmpty() || key.indexOf('\0') >= 0 || key.length() > limits.maxValueLength()) {
            throw GIVE_UP;
        }
        into.put(key, value == null ? AttributeValue.of("") : value);
    }

    /** Depth counts arrays only, as the mapper does (a map's values start again at 0). */
    final AttributeValue anyValue(int end, int depth) {
        if (pos == end) {
            return AttributeValue.of(""); // no value: kept as an empty string
        }
        AttributeValue v = switch (tag()) {
            case 1 << 3 | LEN -> {
                String s = string();
                if (s.length() > limits.maxValueLength()) {
                    throw GIVE_UP;
                }
                yield AttributeValue.of(s);
            }
            case 2 << 3 | VARINT -> AttributeValue.of(varint() != 0);
            case 3 << 3 | VARINT -> AttributeValue.of(varint());
            case 4 << 3 | I64 -> AttributeValue.of(Double.longBitsToDouble(fixed64()));
            case 5 << 3 | LEN -> {
                checkDepth(depth);
                int arrayEnd = message();
                List<AttributeValue> values = new ArrayList<>();
                while (pos < arrayEnd) {
                    if (tag() != (1 << 3 | LEN)) {
                        throw GIVE_UP;
                    }
                    values.add(anyValue(message(), depth + 1));
                    leave();
                }
                checkEnd(arrayEnd);
                leave();
                if (values.size() > limits.maxAttributes()) {
                    throw GIVE_UP;
                }
                yield AttributeValue.ofArray(values);
            }
            case 6 << 3 | LEN -> {
                checkDepth(depth);
                int listEnd = message();
                Attributes.Builder b = Attributes.builder();
                int count = 0;
                while (pos < listEnd) {
                    if (tag() != (1 << 3 | LEN)) {
                        throw GIVE_UP;
                    }
                    keyValue(message(), b);
                    leave();
                    count++;
                }
                checkEnd(listEnd);
                leave();
                checkCount(count);
                yield new AttributeValue.MapValue(b.build());
            }
            case 7 << 3 | LEN -> {
                int n = length();
                if (n > limits.maxValueLength()) {
                    throw GIVE_UP;
                }
                byte[] bytes = Arrays.copyOfRange(buf, pos, pos + n);
                pos += n;
                yield AttributeValue.ofBytes(bytes);
            }
            default -> throw GIVE_UP;
        };
        if (pos != end) {
            throw GIVE_UP; // a second value field: protobuf's last-wins or merge rules apply
        }
        return v;
    }

    private void checkDepth(int depth) {
        if (depth + 1 >= limits.maxValueDepth()) {
            throw GIVE_UP;
        }
    }

    final void checkCount(int count) {
        if (count > limits.maxAttributes()) {
            throw GIVE_UP;
        }
    }
}
