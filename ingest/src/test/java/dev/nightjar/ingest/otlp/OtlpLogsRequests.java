package dev.nightjar.ingest.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Random;

/**
 * Requests for the logs decoder tests: a seeded generator of realistic, varied OTLP logs requests and the
 * small builders and checks both decoder test classes share.
 */
final class OtlpLogsRequests {
    static final long NOW = 1_700_000_000_000_000_000L;

    private OtlpLogsRequests() {}

    static boolean parses(byte[] bytes) {
        try {
            ExportLogsServiceRequest.parseFrom(bytes);
            return true;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    static AnyValue nested(int depth) {
        AnyValue v = string("leaf");
        for (int i = 0; i < depth; i++) {
            v = AnyValue.newBuilder()
                    .setArrayValue(ArrayValue.newBuilder().addValues(v))
                    .build();
        }
        return v;
    }

    static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static AnyValue string(String s) {
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
