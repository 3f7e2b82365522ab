package dev.nightjar.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FullTextTest {

    @Test
    void splitsWordsAndFoldsCase() {
        assertThat(FullText.tokenize("Connection REFUSED: db.example.com:5432 user_id=42"))
                .containsExactly("connection", "refused", "db", "example", "com", "5432", "user_id", "42");
    }

    @Test
    void cjkAndEmojiAreSingleCharacterWords() {
        assertThat(FullText.tokenize("数据库 ok🚀")).containsExactly("数", "据", "库", "ok", "🚀");
        assertThat(FullText.tokenize("ログイン")).containsExactly("ロ", "グ", "イ", "ン");
    }

    @Test
    void marksContinueWordsAndRtlStaysWhole() {
        assertThat(FullText.tokenize("naïve cafe\u0301 مرحبا")).containsExactly("naïve", "cafe\u0301", "مرحبا");
        assertThat(FullText.tokenize("\u0301alone")).containsExactly("alone");
    }

    @Test
    void longWordsAreCut() {
        List<String> tokens = FullText.tokenize("x".repeat(600));
        assertThat(tokens).hasSize(3);
        assertThat(tokens.get(0)).hasSize(255);
        assertThat(tokens.get(2)).hasSize(90);
    }

    @Test
    void loneSurrogatesAndControlsSeparate() {
        assertThat(FullText.tokenize("a\uD800b\u0000c")).containsExactly("a", "b", "c");
    }

    @Test
    void phrases() {
        List<String> hay = FullText.tokenize("the quick brown fox");
        assertThat(FullText.containsPhrase(hay, List.of("quick", "brown"))).isTrue();
        assertThat(FullText.containsPhrase(hay, List.of("brown", "quick"))).isFalse();
        assertThat(FullText.containsPhrase(hay, List.of())).isFalse();
    }
}
