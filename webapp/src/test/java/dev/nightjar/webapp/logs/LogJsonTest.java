package dev.nightjar.webapp.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogJsonTest {

    @Test
    void everyFieldWithItsTypeAndMarkupEscapedOnlyAsJsonRequires() throws Exception {
        LogRecord record = LogRecord.builder()
                .timeUnixNano(1_700_000_000_123_456_789L)
                .severity(SeverityLevel.ERROR)
                .body("<script>alert(\"1\")</script>")
                .attributes(Attributes.builder()
                        .put("http.status_code", 503)
                        .put("retry", true)
                        .put("tags", AttributeValue.ofArray(List.of(AttributeValue.of("a"), AttributeValue.of(2))))
                        .build())
                .resource(Resource.of("service.name", "checkout"))
                .traceId(TraceId.fromHex("5b8efff798038103d269b633813fc60c"))
                .spanId(SpanId.fromHex("eee19b7ec3c1b174"))
                .build();
        JsonNode json = new ObjectMapper().readTree(LogJson.of(record));
        assertThat(json.get("time").asText()).isEqualTo("2023-11-14T22:13:20.123456789Z");
        assertThat(json.get("timeUnixNano").asText()).isEqualTo("1700000000123456789");
        assertThat(json.get("severityNumber").asInt()).isEqualTo(17);
        assertThat(json.get("body").asText()).isEqualTo("<script>alert(\"1\")</script>");
        assertThat(json.get("attributes").get("http.status_code").isNumber()).isTrue();
        assertThat(json.get("attributes").get("retry").asBoolean()).isTrue();
        assertThat(json.get("attributes").get("tags").get(1).asInt()).isEqualTo(2);
        assertThat(json.get("resource").get("service.name").asText()).isEqualTo("checkout");
        assertThat(json.get("traceId").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(json.get("spanId").asText()).isEqualTo("eee19b7ec3c1b174");
    }
}
