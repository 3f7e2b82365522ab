package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.junit.jupiter.api.Test;

/**
 * The span documents' fast term and point builders must make byte for byte what the shared ones make,
 * or queries (which use the shared ones) would miss spans.
 */
class SpanIndexTermsTest {

    private static final List<String> TEXTS = List.of(
            "",
            "GET /api/orders",
            "é",
            "日本語のスパン",
            "emoji \uD83D\uDE00",
            "lone \uD800 surrogate",
            "a".repeat(Terms.MAX_INLINE_BYTES - 1),
            "a".repeat(Terms.MAX_INLINE_BYTES),
            "a".repeat(Terms.MAX_INLINE_BYTES + 1),
            "é".repeat(300),
            "x".repeat(70_000));

    @Test
    void exactTermsEqualTheSharedOnes() {
        for (String v : TEXTS) {
            assertThat(SpanIndex.exact(v)).as("%.40s", v).isEqualTo(Terms.exact(v));
        }
    }

    @Test
    void keywordTermsEqualTheSharedOnes() {
        for (String k : List.of("http.method", "ключ", "k".repeat(255))) {
            for (String v : TEXTS) {
                assertThat(SpanIndex.keyword(k, v)).as("%s=%.40s", k, v).isEqualTo(Terms.keyword(k, v));
            }
        }
    }

    @Test
    void attributeFieldsEqualTheSharedLayout() {
        Attributes a = Attributes.builder()
                .put("http.method", AttributeValue.of("GET"))
                .put("http.status_code", AttributeValue.of(503L))
                .put("ratio", AttributeValue.of(-0.0))
                .put("nan", AttributeValue.of(Double.NaN))
                .put("ok", AttributeValue.of(true))
                .put(
                        "tags",
                        AttributeValue.ofArray(List.of(
                                AttributeValue.of("a"),
                                AttributeValue.of("a"),
                                AttributeValue.of(7L),
                                AttributeValue.of("ü"))))
                .put("nested", new AttributeValue.MapValue(Attributes.of("x", "y")))
                .put("long", AttributeValue.of("v".repeat(600)))
                .put("k".repeat(300), AttributeValue.of("unindexed key"))
                .build();
        Document doc = new Document();
        SpanIndex.attributeFields(doc, a);
        List<String> ours = describe(doc.getFields());
        List<String> shared = describe(LogIndex.attributeFields(a, SpanIndex.ATTRIBUTE, SpanIndex.ATTRIBUTE_NUM));
        assertThat(ours).isNotEmpty().isEqualTo(shared);
    }

    private static List<String> describe(List<IndexableField> fields) {
        List<String> out = new ArrayList<>();
        for (IndexableField f : fields) {
            out.add(f.name() + " " + f.binaryValue() + " dims=" + f.fieldType().pointDimensionCount() + "x"
                    + f.fieldType().pointNumBytes() + " index=" + f.fieldType().indexOptions()
                    + " tokenized=" + f.fieldType().tokenized());
        }
        return out;
    }
}
