package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.Attributes;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile and unusual content: every script, emoji, control characters, very large values. */
public abstract class LogContentConformance extends StorageConformance {

    private static final String[] WORDS = {
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"
    };

    @Test
    void unicodeBodiesRoundTripAndAreSearchable() {
        List<LogRecord> records = List.of(
                log(T0.minusSeconds(1), "deploy 🚀 finished, all good 👍🏽").build(),
                log(T0.minusSeconds(2), "数据库连接失败: 超时").build(),
                log(T0.minusSeconds(3), "فشل الاتصال بقاعدة البيانات").build(),
                log(T0.minusSeconds(4), "שגיאה בחיבור לשרת").build(),
                log(T0.minusSeconds(5), "ÜBER große Straße naïve café").build(),
                log(T0.minusSeconds(6), "ログイン に 失敗 しました").build(),
                log(T0.minusSeconds(7), "null\u0000byte and \u200Bzero width and \uD800 lone surrogate")
                        .build());
        writeLogs(TENANT_A, records);

        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).containsExactlyElementsOf(records);
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("🚀"))))
                .hasSize(1);
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("连接失败"))))
                .containsExactly("数据库连接失败: 超时");
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("连失"))).isEmpty();
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("الاتصال"))))
                .containsExactly("فشل الاتصال بقاعدة البيانات");
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("בחיבור"))))
                .hasSize(1);
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("über"))))
                .hasSize(1);
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("NAÏVE CAFÉ"))))
                .hasSize(1);
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("失敗"))))
                .hasSize(1);
        assertThat(bodies(search(TENANT_A, LogFilter.builder(lastHour()).term("byte"))))
                .hasSize(1);
    }

    @Test
    void unicodeAttributesFilterExactly() {
        LogRecord r = log(T0.minusSeconds(1), "x")
                .resource(service("サービス-東京", "région", "île-de-france"))
                .attributes(Attributes.of("用户", "张三 🐼", "rtl", "مرحبا"))
                .build();
        writeLogs(TENANT_A, List.of(r, log(T0.minusSeconds(2), "y").build()));
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).resource("service.name", "サービス-東京")))
                .containsExactly(r);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).resource("région", "île-de-france")))
                .containsExactly(r);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("用户", "张三 🐼")))
                .containsExactly(r);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("rtl", "مرحبا")))
                .containsExactly(r);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("用户", "张三")))
                .isEmpty();
    }

    @Test
    void a64KibBodyRoundTripsAndItsLastWordIsFound() {
        Random random = new Random(64);
        StringBuilder body = new StringBuilder();
        while (body.length() < 64 * 1024) {
            body.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        body.append("zebracorn");
        LogRecord big = log(T0.minusSeconds(1), body.toString()).build();
        writeLogs(TENANT_A, List.of(big, log(T0.minusSeconds(2), "small").build()));
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("zebracorn")))
                .containsExactly(big);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("alpha")))
                .containsExactly(big);
    }

    @Test
    void oneHugeWordDoesNotBreakIndexing() {
        String word = "a".repeat(70_000);
        LogRecord big = log(T0.minusSeconds(1), word + " tail").build();
        writeLogs(TENANT_A, List.of(big));
        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).containsExactly(big);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("tail"))).containsExactly(big);
        // words are cut into 255-character pieces; a piece is findable
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).term("a".repeat(255))))
                .containsExactly(big);
    }

    @Test
    void a64KibAttributeValueFiltersExactly() {
        String huge = "v".repeat(64 * 1024);
        String hugeOther = "v".repeat(64 * 1024 - 1) + "w";
        LogRecord r1 = log(T0.minusSeconds(1), "one")
                .attributes(Attributes.of("blob", huge))
                .build();
        LogRecord r2 = log(T0.minusSeconds(2), "two")
                .attributes(Attributes.of("blob", hugeOther))
                .build();
        writeLogs(TENANT_A, List.of(r1, r2));
        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).containsExactly(r1, r2);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).filter(AttributeFilter.attribute("blob", huge))))
                .containsExactly(r1);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).filter(AttributeFilter.attribute("blob", hugeOther))))
                .containsExactly(r2);
    }

    @Test
    void manyAttributesAndKeysRoundTrip() {
        Attributes.Builder attrs = Attributes.builder();
        for (int i = 0; i < 300; i++) {
            attrs.put("key." + i, "value-" + i);
        }
        LogRecord r = log(T0.minusSeconds(1), "wide").attributes(attrs.build()).build();
        writeLogs(TENANT_A, List.of(r));
        assertThat(search(TENANT_A, LogFilter.of(lastHour()))).containsExactly(r);
        assertThat(search(TENANT_A, LogFilter.builder(lastHour()).attribute("key.299", "value-299")))
                .containsExactly(r);
    }
}
