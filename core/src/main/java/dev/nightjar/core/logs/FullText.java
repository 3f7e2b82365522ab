package dev.nightjar.core.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * The one definition of how log bodies are split into words for full-text search, shared by every
 * backend so they agree exactly (the Lucene store wraps these rules in its tokenizer).
 *
 * <ul>
 *   <li>A word is a run of letters, digits and {@code _} (combining marks continue a word), lower-cased
 *       code point by code point with {@link Character#toLowerCase(int)}.
 *   <li>Han ideographs, Hiragana, Katakana, Thai, Lao, Khmer and Myanmar characters, and symbols such
 *       as emoji (Unicode category So), are one-character words: these scripts do not separate words
 *       with spaces, so a multi-character query is matched as a phrase of characters.
 *   <li>Everything else separates words. A word longer than {@value #MAX_TOKEN_LENGTH} code points is
 *       cut into pieces of that length.
 *   <li>A query term is split the same way: one word matches records containing that word; several
 *       words match records containing them adjacent and in order (a phrase).
 * </ul>
 */
public final class FullText {

    public static final int MAX_TOKEN_LENGTH = 255;

    /** How one code point takes part in words. */
    public enum CharClass {
        SEPARATOR,
        WORD,
        /** Continues a word, else separates (combining marks, variation selectors). */
        MARK,
        SINGLE
    }

    private FullText() {}

    public static CharClass classify(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_'
                    ? CharClass.WORD
                    : CharClass.SEPARATOR;
        }
        int type = Character.getType(cp);
        if (type == Character.SURROGATE || type == Character.UNASSIGNED) {
            return CharClass.SEPARATOR;
        }
        if (type == Character.OTHER_SYMBOL) {
            return CharClass.SINGLE;
        }
        boolean mark = type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
        if (!mark && !Character.isLetterOrDigit(cp)) {
            return CharClass.SEPARATOR;
        }
        if (Character.isIdeographic(cp)) {
            return CharClass.SINGLE;
        }
        switch (Character.UnicodeScript.of(cp)) {
            case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR -> {
                return CharClass.SINGLE;
            }
            default -> {
                return mark ? CharClass.MARK : CharClass.WORD;
            }
        }
    }

    public static int fold(int cp) {
        return Character.toLowerCase(cp);
    }

    /** The words of {@code text}, in order. */
    public static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int curLen = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            CharClass c = classify(cp);
            if (c == CharClass.WORD || (c == CharClass.MARK && curLen > 0)) {
                if (curLen == MAX_TOKEN_LENGTH) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                    curLen = 0;
                }
                cur.appendCodePoint(fold(cp));
                curLen++;
            } else {
                if (curLen > 0) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                    curLen = 0;
                }
                if (c == CharClass.SINGLE) {
                    tokens.add(new String(Character.toChars(fold(cp))));
                }
            }
        }
        if (curLen > 0) {
            tokens.add(cur.toString());
        }
        return tokens;
    }

    /** Whether {@code haystack} contains {@code phrase} as a contiguous run. */
    public static boolean containsPhrase(List<String> haystack, List<String> phrase) {
        if (phrase.isEmpty()) {
            return false;
        }
        outer:
        for (int i = 0; i + phrase.size() <= haystack.size(); i++) {
            for (int j = 0; j < phrase.size(); j++) {
                if (!haystack.get(i + j).equals(phrase.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
