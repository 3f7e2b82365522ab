package dev.nightjar.storage.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/** Keyword terms are the UTF-8 of {@code key U+0000 value} whichever path builds them (ASCII or not). */
class TermsTest {

    @Test
    void keywordTermsAreTheUtf8OfKeyNulValue() {
        Random random = new Random(17);
        String[] pieces = {"a", "Z", "0", "-", ".", "é", "日", "😀", "\u007f", "\u0080", " ", "\t"};
        for (int i = 0; i < 5000; i++) {
            String key = text(random, pieces, 1 + random.nextInt(20));
            String value = text(random, pieces, random.nextInt(random.nextInt(10) == 0 ? 600 : 40));
            BytesRef expected = new BytesRef(key + '\0' + value);
            BytesRef term = Terms.keyword(key, value);
            if (expected.length <= Terms.MAX_INLINE_BYTES) {
                assertThat(term).isEqualTo(expected);
            } else {
                assertThat(term.utf8ToString()).startsWith(key + '\0').contains("\u0001sha256:");
                assertThat(term.length).isLessThan(expected.length);
            }
        }
    }

    @Test
    void asciiTermsAtTheInlineLimitStayInline() {
        String key = "k";
        String value = "v".repeat(Terms.MAX_INLINE_BYTES - 2);
        assertThat(Terms.keyword(key, value)).isEqualTo(new BytesRef(key + '\0' + value));
        String over = value + "v";
        assertThat(Terms.keyword(key, over).utf8ToString()).contains("\u0001sha256:");
    }

    private static String text(Random random, String[] pieces, int n) {
        StringBuilder b = new StringBuilder();
        boolean ascii = random.nextBoolean();
        for (int i = 0; i < n; i++) {
            b.append(pieces[random.nextInt(ascii ? 5 : pieces.length)]);
        }
        return b.toString();
    }
}
