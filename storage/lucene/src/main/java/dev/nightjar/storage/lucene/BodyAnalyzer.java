package dev.nightjar.storage.lucene;

import dev.nightjar.core.logs.FullText;
import java.io.IOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Splits log bodies into words exactly as {@link FullText#tokenize} does (core's definition, shared with
 * the in-memory store), streaming, so index and query time agree by construction.
 */
final class BodyAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        return new TokenStreamComponents(new BodyTokenizer());
    }

    static final class BodyTokenizer extends Tokenizer {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offsets = addAttribute(OffsetAttribute.class);
        private char[] buf = new char[512];
        private int len;
        private int pos;
        private boolean loaded;
        /** The previous token was cut at the length limit, so a combining mark continues the next one. */
        private boolean continuation;

        @Override
        public void reset() throws IOException {
            super.reset();
            loaded = false;
            len = 0;
            pos = 0;
            continuation = false;
        }

        private void load() throws IOException {
            while (true) {
                if (len == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                int n = input.read(buf, len, buf.length - len);
                if (n < 0) {
                    break;
                }
                len += n;
            }
            loaded = true;
        }

        @Override
        public boolean incrementToken() throws IOException {
            clearAttributes();
            if (!loaded) {
                load();
            }
            int tokLen = 0;
            int start = -1;
            while (pos < len) {
                int cp = Character.codePointAt(buf, pos, len);
                int n = Character.charCount(cp);
                FullText.CharClass c = FullText.classify(cp);
                if (c == FullText.CharClass.WORD || (c == FullText.CharClass.MARK && (tokLen > 0 || continuation))) {
                    if (tokLen == FullText.MAX_TOKEN_LENGTH) {
                        continuation = true;
                        return emit(start, pos);
                    }
                    if (tokLen == 0) {
                        start = pos;
                    }
                    continuation = false;
                    appendFolded(cp);
                    tokLen++;
                    pos += n;
                } else {
                    continuation = false;
                    if (tokLen > 0) {
                        return emit(start, pos);
                    }
                    pos += n;
                    if (c == FullText.CharClass.SINGLE) {
                        appendFolded(cp);
                        return emit(pos - n, pos);
                    }
                }
            }
            return tokLen > 0 && emit(start, pos);
        }

        private void appendFolded(int cp) {
            int folded = FullText.fold(cp);
            if (Character.isBmpCodePoint(folded)) {
                term.append((char) folded);
            } else {
                term.append(Character.highSurrogate(folded)).append(Character.lowSurrogate(folded));
            }
        }

        private boolean emit(int start, int end) {
            offsets.setOffset(correctOffset(start), correctOffset(end));
            return true;
        }

        @Override
        public void end() throws IOException {
            super.end();
            int finalOffset = correctOffset(len);
            offsets.setOffset(finalOffset, finalOffset);
        }
    }
}
