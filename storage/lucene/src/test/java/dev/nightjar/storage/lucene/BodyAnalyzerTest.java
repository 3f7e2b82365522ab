package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.core.logs.FullText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

/** The Lucene tokenizer and core's FullText must split every text the same way. */
class BodyAnalyzerTest {

    private static List<String> lucene(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (BodyAnalyzer analyzer = new BodyAnalyzer();
                TokenStream ts = analyzer.tokenStream("body", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    @Test
    void agreesWithCoreOnKnownTexts() throws IOException {
        for (String text : List.of(
                "Connection REFUSED: db.example.com:5432",
                "数据库连接失败 🚀👍🏽 ok",
                "naïve cafe\u0301 مرحبا \u0301x",
                "a".repeat(600) + "\u0301b",
                "x\uD800y\u0000z",
                "")) {
            assertThat(lucene(text)).as(text).isEqualTo(FullText.tokenize(text));
        }
    }

    @Test
    void agreesWithCoreOnRandomText() throws IOException {
        Random random = new Random(42);
        int[] pool = {
            'a', 'Z', '0', '_', ' ', '.', '-', 0x301, 0xFE0F, 0x200D, 0x4E2D, 0x30AB, 0x0E01, 0x0627, 0x1F680, 0x1F3FD,
            0xD800, 0x130, 0x3A3, 'ß'
        };
        for (int round = 0; round < 2000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int cp = pool[random.nextInt(pool.length)];
                if (random.nextInt(50) == 0) {
                    sb.append("w".repeat(250 + random.nextInt(20)));
                }
                sb.appendCodePoint(cp);
            }
            String text = sb.toString();
            assertThat(lucene(text)).as("round %d", round).isEqualTo(FullText.tokenize(text));
        }
    }
}
