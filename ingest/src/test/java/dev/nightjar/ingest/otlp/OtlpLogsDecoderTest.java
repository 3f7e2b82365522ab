package dev.nightjar.ingest.otlp;

import static dev.nightjar.ingest.otlp.OtlpLogsRequests.NOW;
import static dev.nightjar.ingest.otlp.OtlpLogsRequests.parses;
import static dev.nightjar.ingest.otlp.OtlpLogsRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.ingest.IngestLimits;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decoder must answer exactly as the generated classes plus {@link OtlpLogsMapper}: checked on
 * random requests and on random corruptions of valid requests (which either decode exactly or give up).
 * What it gives up on, and hostile bytes, are in {@link OtlpLogsDecoderFallbackTest}.
 */
class OtlpLogsDecoderTest {
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
}
