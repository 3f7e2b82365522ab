package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    @Test
    void roundTripsLoneSurrogatesAndNestedValues() {
        LogRecord r = LogRecord.builder()
                .timeUnixNano(5)
                .body("a\uD800b \uDFFF")
                .attributes(Attributes.of(
                        "k\uDC00", AttributeValue.ofArray(List.of(AttributeValue.of(1L), AttributeValue.of("x")))))
                .build();
        byte[] bytes = RecordCodec.encode(r);
        assertThat(RecordCodec.decodeLog(bytes, 0, bytes.length, r.resource())).isEqualTo(r);
    }

    @Test
    void truncatedInputIsRefusedNotMisread() {
        LogRecord r = LogRecord.builder().timeUnixNano(5).body("hello world").build();
        byte[] bytes = RecordCodec.encode(r);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> RecordCodec.decodeLog(cut, 0, cut.length, r.resource()))
                .isInstanceOf(IllegalStateException.class);
    }
}
