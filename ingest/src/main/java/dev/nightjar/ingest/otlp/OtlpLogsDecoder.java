package dev.nightjar.ingest.otlp;

import com.google.protobuf.UnsafeByteOperations;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.ingest.IngestLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes an OTLP/protobuf logs export straight into the store's records, in one pass over the bytes:
 * no {@code ExportLogsServiceRequest}, {@code KeyValue} or {@code AnyValue} objects in between, each
 * resource and scope mapped once for all its records, and repeated short strings (attribute keys,
 * severity texts, low-cardinality values) shared from a small cache instead of decoded again.
 *
 * <p>It decodes only the ordinary case. Whenever the bytes are anything else — malformed, a field it does
 * not know, a wire type that does not fit, a singular message given twice (protobuf merges those), a
 * resource after its records, deep nesting, or an item {@link OtlpLogsMapper} would reject — it gives up
 * and returns null, and the caller parses the generated classes and maps them with {@code
 * OtlpLogsMapper}, whose answer (records, rejected counts, error messages, 400 for malformed bytes) is
 * then the answer. What this decoder returns is therefore always what the mapper would have returned.
 */
public final class OtlpLogsDecoder {

    /** Thrown inside the decoder to give up; never leaves it. No stack trace: it is control flow. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    private static final int LEN = 2;
    private static final int VARINT = 0;
    private static final int I64 = 1;
    private static final int I32 = 5;
    /** Far below protobuf's recursion limit (100 messages), so the generated parser would not refuse it. */
    private static final int MAX_NESTING = 48;
    /** Strings up to this many bytes go through the cache: keys, levels, methods, routes, short values. */
    private static final int CACHED_BYTES = 48;

    private static final int CACHE_SIZE = 4096;

    /** An immutable cache entry; the table is shared by threads, and a lost race only costs a decode. */
    private record Cached(byte[] bytes, String value) {}

    private final Cached[] cache = new Cached[CACHE_SIZE];
    private final IngestLimits limits;

    public OtlpLogsDecoder(IngestLimits limits) {
        this.limits = limits;
    }

    /**
     * The records of {@code request}, or null when the mapper must decide (see class comment).
     *
     * @param receivedAtNanos observed time for records with neither time nor observed time (as the mapper)
     */
    public Mapped<LogRecord> decode(byte[] request, long receivedAtNanos) {
        try {
            return new Reader(request, receivedAtNanos).request();
        } catch (GiveUp | IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The state of one decode: a position in the request bytes. */
    private final class Reader {
        private final byte[] buf;
        private final long receivedAtNanos;
        private final List<LogRecord> out = new ArrayList<>();
        private int pos;
        private int nesting;

        Reader(byte[] buf, long receivedAtNanos) {
            this.buf = buf;
            this.receivedAtNanos = receivedAtNanos;
        }

        Mapped<LogRecord> request() {
            int end = buf.length;
            while (pos < end) {
                int tag = tag();
                if (tag != (1 << 3 | LEN)) {
                    throw GIVE_UP;
                }
                resourceLogs(message());
            }
            return new Mapped<>(out, 0, "");
        }

        private void resourceLogs(int end) {
            Resource resource = null;
            boolean used = false;
            while (pos < end) {
                switch (tag()) {
                    case 1 << 3 | LEN -> {
                        if (resource != null || used) {
                            throw GIVE_UP; // merged or late resource: the generated classes handle that
                        }
                        resource = resource(message());
                        leave();
                    }
                    case 2 << 3 | LEN -> {
                        used = true;
                        scopeLogs(message(), resource == null ? Resource.EMPTY : resource);
                        leave();
                    }
                    case 3 << 3 | LEN -> string(); // schema_url: validated as UTF-8, not kept
                    default -> throw GIVE_UP;
                }
            }
            checkEnd(end);
        }

        private Resource resource(int end) {
            Attributes.Builder b = null;
            int count = 0;
            while (pos < end) {
                switch (tag()) {
                    case 1 << 3 | LEN -> {
                        if (b == null) {
                            b = Attributes.builder();
                        }
                        keyValue(message(), b);
                        leave();
                        count++;
                    }
                    case 2 << 3 | VARINT -> varint(); // dropped_attributes_count
                    default -> throw GIVE_UP;
                }
            }
            checkEnd(end);
            checkCount(count);
            return b == null ? Resource.EMPTY : new Resource(b.build());
        }

        private void scopeLogs(int end, Resource resource) {
            InstrumentationScope scope = null;
            boolean used = false;
            while (pos < end) {
                switch (tag()) {
                    case 1 << 3 | LEN -> {
                        if (scope != null || used) {
                            throw GIVE_UP;
                        }
                        scope = scope(message());
                        leave();
                    }
                    case 2 << 3 | LEN -> {
                        used = true;
                        out.add(record(message(), resource, scope == null ? InstrumentationScope.EMPTY : scope));
                        leave();
                    }
                    case 3 << 3 | LEN -> string();
                    default -> throw GIVE_UP;
                }
            }
            checkEnd(end);
        }

        private InstrumentationScope scope(int end) {
            String name = "";
            String version = "";
            Attributes.Builder b = null;
            int count = 0;
            while (pos < end) {
                switch (tag()) {
                    case 1 << 3 | LEN -> name = string();
                    case 2 << 3 | LEN -> version = string();
                    case 3 << 3 | LEN -> {
                        if (b == null) {
                            b = Attributes.builder();
                        }
                        keyValue(message(), b);
                        leave();
                        count++;
                    }
                    case 4 << 3 | VARINT -> varint();
                    default -> throw GIVE_UP;
                }
            }
            checkEnd(end);
            checkCount(count);
            if (name.isEmpty() && version.isEmpty() && b == null) {
                return InstrumentationScope.EMPTY;
            }
            if (name.length() > limits.maxValueLength() || version.length() > limits.maxValueLength()) {
                throw GIVE_UP;
            }
            return new InstrumentationScope(name, version, b == null ? Attributes.EMPTY : b.build());
        }

        private LogRecord record(int end, Resource resource, InstrumentationScope scope) {
            long time = 0;
            long observed = 0;
            int severityNumber = 0;
            String severityText = "";
            AttributeValue body = null;
            Attributes.Builder attributes = null;
            int count = 0;
            int flags = 0;
            TraceId traceId = null;
            SpanId spanId = null;
            while (pos < end) {
                switch (tag()) {
                    case 1 << 3 | I64 -> time = fixed64();
                    case 11 << 3 | I64 -> observed = fixed64();
                    case 2 << 3 | VARINT -> severityNumber = (int) varint();
                    case 3 << 3 | LEN -> severityText = string();
                    case 5 << 3 | LEN -> {
                        if (body != null) {
                            throw GIVE_UP;
                        }
                        body = anyValue(message(), 0);
                        leave();
                    }
                    case 6 << 3 | LEN -> {
                        if (attributes == null) {
                            attributes = Attributes.builder();
                        }
                        keyValue(message(), attributes);
                        leave();
                        count++;
                    }
                    case 7 << 3 | VARINT -> varint();
                    case 8 << 3 | I32 -> flags = fixed32();
                    case 9 << 3 | LEN -> traceId = traceId(length());
                    case 10 << 3 | LEN -> spanId = spanId(length());
                    case 12 << 3 | LEN -> string(); // event_name: not stored (as the mapper)
                    default -> throw GIVE_UP;
                }
            }
            checkEnd(end);
            checkCount(count);
            if (time < 0 || observed < 0) {
                throw GIVE_UP; // beyond 2262
            }
            if (time == 0 && observed == 0) {
                observed = receivedAtNanos;
            }
            if (body == null) {
                body = AttributeValue.of("");
            }
            if (body.asText().length() > limits.maxBodyLength() || severityText.length() > limits.maxValueLength()) {
                throw GIVE_UP;
            }
            // the record's own checks (severity range, times) throw IllegalArgumentException: give up
            return new LogRecord(
                    time,
                    observed,
                    severityNumber,
                    severityText,
                    body,
                    attributes == null ? Attributes.EMPTY : attributes.build(),
                    traceId,
                    spanId,
                    flags,
                    resource,
                    scope);
        }

        /** The mapper keeps an all-zero id as absent and rejects other lengths than 16 and 8 bytes. */
        private TraceId traceId(int length) {
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

        private SpanId spanId(int length) {
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

        private void keyValue(int end, Attributes.Builder into) {
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
        private AttributeValue anyValue(int end, int depth) {
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

        private void checkCount(int count) {
            if (count > limits.maxAttributes()) {
                throw GIVE_UP;
            }
        }

        private void checkEnd(int end) {
            if (pos != end) {
                throw GIVE_UP;
            }
        }

        // ---- wire format ----

        private int tag() {
            long tag = varint();
            if (tag <= 7 || tag > Integer.MAX_VALUE) {
                throw GIVE_UP; // field number 0, or beyond protobuf's range
            }
            return (int) tag;
        }

        /** A length-delimited field's length, checked against what is left. */
        private int length() {
            long n = varint();
            if (n < 0 || n > buf.length - pos) {
                throw GIVE_UP;
            }
            return (int) n;
        }

        /** Enters an embedded message; returns where it ends. Pair with {@link #leave()}. */
        private int message() {
            int n = length();
            if (++nesting > MAX_NESTING) {
                throw GIVE_UP;
            }
            return pos + n;
        }

        private void leave() {
            nesting--;
        }

        private long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf[pos++];
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw GIVE_UP; // more than ten bytes: malformed
        }

        private long fixed64() {
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (buf[pos + i] & 0xFFL);
            }
            pos += 8;
            return v;
        }

        private int fixed32() {
            int v = (buf[pos] & 0xFF)
                    | (buf[pos + 1] & 0xFF) << 8
                    | (buf[pos + 2] & 0xFF) << 16
                    | (buf[pos + 3] & 0xFF) << 24;
            pos += 4;
            return v;
        }

        private long bigEndian(int at) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[at + i] & 0xFFL);
            }
            return v;
        }

        /** A string field, valid UTF-8 (protobuf's rule for proto3 strings) or give up. */
        private String string() {
            int n = length();
            int at = pos;
            pos += n;
            if (n == 0) {
                return "";
            }
            if (n > CACHED_BYTES) {
                return utf8(at, n);
            }
            int h = 0;
            for (int i = at; i < at + n; i++) {
                h = 31 * h + buf[i];
            }
            int slot = (h ^ (h >>> 12)) & (CACHE_SIZE - 1);
            Cached c = cache[slot];
            if (c != null && Arrays.equals(c.bytes, 0, c.bytes.length, buf, at, at + n)) {
                return c.value;
            }
            String s = utf8(at, n);
            cache[slot] = new Cached(Arrays.copyOfRange(buf, at, at + n), s);
            return s;
        }

        private String utf8(int at, int n) {
            String s = new String(buf, at, n, StandardCharsets.UTF_8);
            // the JDK replaces malformed input; protobuf refuses it. Only non-ASCII input can be malformed,
            // and that shows as fewer characters than bytes or as U+FFFD (O(1) for a Latin-1 string).
            if ((s.length() != n || s.indexOf('\uFFFD') >= 0)
                    && !UnsafeByteOperations.unsafeWrap(buf, at, n).isValidUtf8()) {
                throw GIVE_UP;
            }
            return s;
        }
    }
}
