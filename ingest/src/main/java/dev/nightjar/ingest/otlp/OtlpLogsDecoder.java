package dev.nightjar.ingest.otlp;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import dev.nightjar.ingest.IngestLimits;
import java.util.ArrayList;
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
 *
 * <p>The reading is layered: {@link ProtoWire} (wire format, strings through {@link ProtoStrings}), then
 * {@link OtlpValueReader} (attributes, values, ids), then the logs messages here.
 */
public final class OtlpLogsDecoder {

    private final ProtoStrings strings = new ProtoStrings();
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
            return new Reader(request, receivedAtNanos, strings, limits).request();
        } catch (ProtoWire.GiveUp | IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The state of one decode: the logs messages, over the common ones and the wire format. */
    private static final class Reader extends OtlpValueReader {
        private final long receivedAtNanos;
        private final List<LogRecord> out = new ArrayList<>();

        Reader(byte[] buf, long receivedAtNanos, ProtoStrings strings, IngestLimits limits) {
            super(buf, strings, limits);
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
    }
}
