package dev.nightjar.ingest.otlp;

import static dev.nightjar.ingest.otlp.OtlpLogsRequests.NOW;
import static dev.nightjar.ingest.otlp.OtlpLogsRequests.kv;
import static dev.nightjar.ingest.otlp.OtlpLogsRequests.nested;
import static dev.nightjar.ingest.otlp.OtlpLogsRequests.parses;
import static dev.nightjar.ingest.otlp.OtlpLogsRequests.request;
import static dev.nightjar.ingest.otlp.OtlpLogsRequests.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.ingest.IngestLimits;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decoder gives up (null) and leaves the answer to the generated classes plus
 * {@link OtlpLogsMapper} on requests the mapper rejects items of, on forms only the generated classes handle,
 * and on malformed and hostile bytes.
 */
class OtlpLogsDecoderFallbackTest {
    private static final IngestLimits LIMITS = IngestLimits.DEFAULTS;

    private final OtlpLogsDecoder decoder = new OtlpLogsDecoder(LIMITS);
    private final OtlpLogsMapper mapper = new OtlpLogsMapper(LIMITS);

    @Test
    void givesUpOnWhatTheMapperRejectsAndTheMapperDecides() throws Exception {
        ExportLogsServiceRequest base = request(new Random(3));
        // each mutation makes one record, scope or resource invalid, or uses a form only the generated classes handle
        for (UnaryOperator<ExportLogsServiceRequest.Builder> mutation :
                java.util.List.<UnaryOperator<ExportLogsServiceRequest.Builder>>of(
                        b -> record(b).setSeverityNumberValue(99).let(b),
                        b -> record(b)
                                .setTraceId(ByteString.copyFrom(new byte[5]))
                                .let(b),
                        b -> record(b)
                                .setSpanId(ByteString.copyFrom(new byte[9]))
                                .let(b),
                        b -> record(b).setTimeUnixNano(-5).let(b),
                        b -> record(b)
                                .addAttributes(kv(
                                        "", AnyValue.newBuilder().setIntValue(1).build()))
                                .let(b),
                        b -> record(b).addAttributes(kv("a\0b", string("x"))).let(b),
                        b -> record(b)
                                .addAttributes(kv("big", string("x".repeat(LIMITS.maxValueLength() + 1))))
                                .let(b),
                        b -> record(b)
                                .setBody(string("y".repeat(LIMITS.maxBodyLength() + 1)))
                                .let(b),
                        b -> record(b)
                                .setSeverityText("z".repeat(LIMITS.maxValueLength() + 1))
                                .let(b),
                        b -> record(b)
                                .setBody(nested(LIMITS.maxValueDepth() + 1))
                                .let(b),
                        b -> record(b)
                                .setBody(AnyValue.newBuilder()
                                        .setStringValueStrindex(3)
                                        .build())
                                .let(b),
                        b -> {
                            var r = record(b);
                            for (int i = 0; i <= LIMITS.maxAttributes(); i++) {
                                r.addAttributes(kv("k" + i, string("v")));
                            }
                            return b;
                        },
                        b -> {
                            b.getResourceLogsBuilder(0).getResourceBuilder().addAttributes(kv("", string("x")));
                            return b;
                        },
                        b -> {
                            b.getResourceLogsBuilder(0)
                                    .getScopeLogsBuilder(0)
                                    .getScopeBuilder()
                                    .setName("n".repeat(70_000));
                            return b;
                        })) {
            byte[] bytes = mutation.apply(base.toBuilder()).build().toByteArray();
            assertThat(decoder.decode(bytes, NOW)).isNull();
            Mapped<LogRecord> slow = mapper.map(ExportLogsServiceRequest.parseFrom(bytes), NOW);
            assertThat(slow.rejected()).isPositive();
        }
    }

    @Test
    void givesUpOnFormsOnlyTheGeneratedClassesHandle() throws Exception {
        ExportLogsServiceRequest base = request(new Random(5));
        byte[] valid = base.toByteArray();
        // resource after its scope logs (field order reversed on the wire)
        ResourceLogs rl = base.getResourceLogs(0);
        ByteArrayOutputStream reordered = new ByteArrayOutputStream();
        byte[] scopeLogs = ResourceLogs.newBuilder()
                .addAllScopeLogs(rl.getScopeLogsList())
                .build()
                .toByteArray();
        byte[] resource =
                ResourceLogs.newBuilder().setResource(rl.getResource()).build().toByteArray();
        reordered.write(scopeLogs);
        reordered.write(resource);
        byte[] inner = reordered.toByteArray();
        byte[] late = concat(new byte[] {0x0A}, varint(inner.length), inner);
        assertSameOrGivenUp(late);
        assertThat(decoder.decode(late, NOW)).isNull();
        // an unknown field (number 99) on the request: protobuf keeps it as unknown, the decoder leaves it to them
        byte[] unknown = concat(valid, new byte[] {(byte) 0x98, 0x06, 0x01});
        assertThat(decoder.decode(unknown, NOW)).isNull();
        assertThat(mapper.map(ExportLogsServiceRequest.parseFrom(unknown), NOW).accepted())
                .hasSize(base.getResourceLogsList().stream()
                        .flatMap(r -> r.getScopeLogsList().stream())
                        .mapToInt(ScopeLogs::getLogRecordsCount)
                        .sum());
    }

    @Test
    void hostileBytesNeverDecodeAndTheGeneratedParserRefusesThem() {
        byte[] valid = request(new Random(11)).toByteArray();
        byte[][] hostile = {
            Arrays.copyOf(valid, valid.length - 3), // truncated
            {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, // length beyond the body
            {0x0A, 0x05, 0x12, 0x03, 0x12, 0x01}, // nested length beyond its parent
            {
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF
            }, // varint of eleven bytes
            {0x00, 0x00}, // field number 0
            {0x0B}, // a group wire type, unterminated
            invalidUtf8(),
        };
        for (byte[] bytes : hostile) {
            assertThat(decoder.decode(bytes, NOW)).isNull();
            assertThat(parses(bytes)).isFalse();
        }
    }

    // ---- helpers ----

    private void assertSameAsMapper(byte[] bytes, Mapped<LogRecord> fast) throws InvalidProtocolBufferException {
        Mapped<LogRecord> slow = mapper.map(ExportLogsServiceRequest.parseFrom(bytes), NOW);
        assertThat(slow.rejected()).isZero();
        assertThat(fast).isEqualTo(slow);
    }

    private void assertSameOrGivenUp(byte[] bytes) throws InvalidProtocolBufferException {
        Mapped<LogRecord> fast = decoder.decode(bytes, NOW);
        if (fast != null) {
            assertSameAsMapper(bytes, fast);
        }
    }

    private static byte[] invalidUtf8() {
        byte[] body = AnyValue.newBuilder().setStringValue("abcd").build().toByteArray();
        byte[] bytes = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                                        .setTimeUnixNano(NOW)
                                        .setBody(AnyValue.newBuilder().setStringValue("abcd")))))
                .build()
                .toByteArray();
        // overwrite "abcd" with a lone continuation byte and an overlong encoding
        int at = indexOf(bytes, "abcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        assertThat(body).isNotEmpty();
        bytes[at] = (byte) 0x80;
        bytes[at + 1] = (byte) 0xC0;
        bytes[at + 2] = (byte) 0xAF;
        return bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] varint(int v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The first record of the first scope of the first resource, for mutations. */
    private static RecordEdit record(ExportLogsServiceRequest.Builder b) {
        return new RecordEdit(b.getResourceLogsBuilder(0).getScopeLogsBuilder(0).getLogRecordsBuilder(0));
    }

    /** A record builder whose setters chain back to the request (keeps the mutation list short). */
    private record RecordEdit(io.opentelemetry.proto.logs.v1.LogRecord.Builder r) {
        RecordEdit setSeverityNumberValue(int v) {
            r.setSeverityNumberValue(v);
            return this;
        }

        RecordEdit setTraceId(ByteString v) {
            r.setTraceId(v);
            return this;
        }

        RecordEdit setSpanId(ByteString v) {
            r.setSpanId(v);
            return this;
        }

        RecordEdit setTimeUnixNano(long v) {
            r.setTimeUnixNano(v);
            return this;
        }

        RecordEdit addAttributes(KeyValue kv) {
            r.addAttributes(kv);
            return this;
        }

        RecordEdit setBody(AnyValue v) {
            r.setBody(v);
            return this;
        }

        RecordEdit setSeverityText(String v) {
            r.setSeverityText(v);
            return this;
        }

        ExportLogsServiceRequest.Builder let(ExportLogsServiceRequest.Builder b) {
            return b;
        }
    }
}
