package dev.nightjar.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.ingest.IngestLimits;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decoder must answer exactly as the generated classes plus {@link OtlpLogsMapper}, or give up
 * (null) and leave the answer to them. Checked on random requests, on requests the mapper rejects items of,
 * on malformed and hostile bytes, and on random corruptions of valid requests.
 */
class OtlpLogsDecoderTest {
    private static final long NOW = 1_700_000_000_000_000_000L;
    private static final IngestLimits LIMITS = IngestLimits.DEFAULTS;

    private final OtlpLogsDecoder decoder = new OtlpLogsDecoder(LIMITS);
    private final OtlpLogsMapper mapper = new OtlpLogsMapper(LIMITS);

    @Test
    void decodesRandomRequestsExactlyAsTheMapper() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] bytes = request(random).toByteArray();
            Mapped<LogRecord> fast = decoder.decode(bytes, NOW);
            assertThat(fast).as("request %d decoded in one pass", i).isNotNull();
            assertSameAsMapper(bytes, fast);
        }
    }

    @Test
    void sharesOneResourceAndScopePerGroupAndTheCacheKeepsStringsExact() {
        Random random = new Random(7);
        ExportLogsServiceRequest request = request(random);
        byte[] bytes = request.toByteArray();
        Mapped<LogRecord> first = decoder.decode(bytes, NOW);
        Mapped<LogRecord> again = decoder.decode(bytes, NOW);
        assertThat(again).isEqualTo(first);
        int n = request.getResourceLogs(0).getScopeLogs(0).getLogRecordsCount();
        assertThat(first.accepted().get(0).resource())
                .isSameAs(first.accepted().get(n - 1).resource());
    }

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

    @Test
    void randomCorruptionsEitherGiveUpOrDecodeAsTheMapper() throws Exception {
        Random random = new Random(99);
        int decoded = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = request(random).toByteArray();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            Mapped<LogRecord> fast = decoder.decode(bytes, NOW);
            if (fast != null) {
                decoded++;
                assertThat(parses(bytes)).as("decoded bytes must parse").isTrue();
                assertSameAsMapper(bytes, fast);
            }
        }
        assertThat(decoded).as("some corruptions (values, times) still decode").isPositive();
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

    private static boolean parses(byte[] bytes) {
        try {
            ExportLogsServiceRequest.parseFrom(bytes);
            return true;
        } catch (InvalidProtocolBufferException e) {
            return false;
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

    private static AnyValue nested(int depth) {
        AnyValue v = string("leaf");
        for (int i = 0; i < depth; i++) {
            v = AnyValue.newBuilder()
                    .setArrayValue(ArrayValue.newBuilder().addValues(v))
                    .build();
        }
        return v;
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue string(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static final String[] WORDS = {"GET", "/api/orders", "checkout", "ünïcødé", "日本語", "😀", "", "a\tb"};

    /** A realistic, varied request: resources with several scopes, every value kind, ids, missing times. */
    static ExportLogsServiceRequest request(Random random) {
        ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
        int resources = 1 + random.nextInt(3);
        for (int r = 0; r < resources; r++) {
            ResourceLogs.Builder rl = ResourceLogs.newBuilder();
            if (random.nextInt(5) > 0) {
                Resource.Builder res = Resource.newBuilder()
                        .addAttributes(kv("service.name", string("svc-" + random.nextInt(5))))
                        .addAttributes(kv("k8s.pod.name", string("pod-" + random.nextInt(50))));
                if (random.nextBoolean()) {
                    res.setDroppedAttributesCount(2);
                }
                rl.setResource(res);
            }
            if (random.nextBoolean()) {
                rl.setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
            }
            int scopes = 1 + random.nextInt(2);
            for (int s = 0; s < scopes; s++) {
                ScopeLogs.Builder sl = ScopeLogs.newBuilder();
                if (random.nextInt(4) > 0) {
                    InstrumentationScope.Builder scope =
                            InstrumentationScope.newBuilder().setName("io.example.logger" + random.nextInt(3));
                    if (random.nextBoolean()) {
                        scope.setVersion("1." + random.nextInt(9));
                    }
                    if (random.nextInt(4) == 0) {
                        scope.addAttributes(kv("scope.attr", string(WORDS[random.nextInt(WORDS.length)])));
                    }
                    sl.setScope(scope);
                }
                int records = 1 + random.nextInt(20);
                for (int i = 0; i < records; i++) {
                    sl.addLogRecords(logRecord(random));
                }
                rl.addScopeLogs(sl);
            }
            req.addResourceLogs(rl);
        }
        return req.build();
    }

    private static io.opentelemetry.proto.logs.v1.LogRecord logRecord(Random random) {
        var b = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder();
        int times = random.nextInt(4);
        if (times != 1) {
            b.setTimeUnixNano(NOW - random.nextInt(1_000_000));
        }
        if (times != 2) {
            b.setObservedTimeUnixNano(NOW + random.nextInt(1_000));
        }
        b.setSeverityNumberValue(random.nextInt(25));
        if (random.nextBoolean()) {
            b.setSeverityText(new String[] {"INFO", "WARN", "ERROR", "debug"}[random.nextInt(4)]);
        }
        if (random.nextInt(10) > 0) {
            b.setBody(value(random, 0));
        }
        int attrs = random.nextInt(6);
        for (int i = 0; i < attrs; i++) {
            b.addAttributes(kv("attr." + random.nextInt(8), value(random, 0)));
        }
        if (random.nextBoolean()) {
            byte[] id = new byte[16];
            random.nextBytes(id);
            b.setTraceId(ByteString.copyFrom(random.nextInt(10) == 0 ? new byte[16] : id));
            byte[] span = new byte[8];
            random.nextBytes(span);
            b.setSpanId(ByteString.copyFrom(span));
        }
        if (random.nextBoolean()) {
            b.setFlags(random.nextInt(2));
        }
        if (random.nextInt(10) == 0) {
            b.setEventName("event." + random.nextInt(3));
        }
        if (random.nextInt(10) == 0) {
            b.setDroppedAttributesCount(1);
        }
        return b.build();
    }

    private static AnyValue value(Random random, int depth) {
        int kind = random.nextInt(depth > 2 ? 6 : 9);
        AnyValue.Builder v = AnyValue.newBuilder();
        return switch (kind) {
            case 0, 1 ->
                v.setStringValue("word " + WORDS[random.nextInt(WORDS.length)] + " " + random.nextInt(1000))
                        .build();
            case 2 -> v.setStringValue(WORDS[random.nextInt(WORDS.length)]).build();
            case 3 -> v.setIntValue(random.nextLong()).build();
            case 4 ->
                v.setDoubleValue(random.nextInt(3) == 0 ? Double.NaN : random.nextGaussian())
                        .build();
            case 5 -> v.setBoolValue(random.nextBoolean()).build();
            case 6 -> {
                byte[] bytes = new byte[random.nextInt(20)];
                random.nextBytes(bytes);
                yield v.setBytesValue(ByteString.copyFrom(bytes)).build();
            }
            case 7 -> {
                ArrayValue.Builder a = ArrayValue.newBuilder();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.addValues(value(random, depth + 1));
                }
                yield v.setArrayValue(a).build();
            }
            default -> {
                KeyValueList.Builder m = KeyValueList.newBuilder();
                for (int i = random.nextInt(4); i > 0; i--) {
                    m.addValues(kv("m" + random.nextInt(3), value(random, depth + 1)));
                }
                yield v.setKvlistValue(m).build();
            }
        };
    }
}
