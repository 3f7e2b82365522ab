package dev.nightjar.promql;

import java.util.ArrayList;
import java.util.List;

/** Splits a PromQL string into tokens. */
final class Lexer {

    enum Kind {
        IDENT,
        NUMBER,
        DURATION,
        STRING,
        OP,
        LBRACE,
        RBRACE,
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        COMMA,
        COLON,
        AT,
        EOF
    }

    record Token(Kind kind, String text, int pos) {
        boolean is(Kind k, String t) {
            return kind == k && text.equals(t);
        }
    }

    /** Longest query accepted; longer input is refused before any work. */
    static final int MAX_QUERY_LENGTH = 64 * 1024;

    private final String in;
    private int pos;

    private Lexer(String in) {
        this.in = in;
    }

    static List<Token> tokenize(String query) {
        if (query.length() > MAX_QUERY_LENGTH) {
            throw PromqlException.badData("query longer than " + MAX_QUERY_LENGTH + " characters");
        }
        Lexer lexer = new Lexer(query);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            out.add(t);
        } while (t.kind() != Kind.EOF);
        return out;
    }

    /** How many '[' are open: inside them ':' is a separator, not part of a name. */
    private int brackets;

    private PromqlException error(String message) {
        return PromqlException.badData("1:" + (pos + 1) + ": parse error: " + message);
    }

    private Token next() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                while (pos < in.length() && in.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
        if (pos >= in.length()) {
            return new Token(Kind.EOF, "", pos);
        }
        int start = pos;
        char c = in.charAt(pos);
        switch (c) {
            case '{' -> {
                pos++;
                return new Token(Kind.LBRACE, "{", start);
            }
            case '}' -> {
                pos++;
                return new Token(Kind.RBRACE, "}", start);
            }
            case '(' -> {
                pos++;
                return new Token(Kind.LPAREN, "(", start);
            }
            case ')' -> {
                pos++;
                return new Token(Kind.RPAREN, ")", start);
            }
            case '[' -> {
                pos++;
                brackets++;
                return new Token(Kind.LBRACKET, "[", start);
            }
            case ']' -> {
                pos++;
                brackets = Math.max(0, brackets - 1);
                return new Token(Kind.RBRACKET, "]", start);
            }
            case ',' -> {
                pos++;
                return new Token(Kind.COMMA, ",", start);
            }
            case ':' -> {
                // A colon separates a subquery's range and step; elsewhere it starts a metric name
                // (recording rules name series like ":node_cpu:rate5m").
                if (brackets > 0) {
                    pos++;
                    return new Token(Kind.COLON, ":", start);
                }
            }
            case '@' -> {
                pos++;
                return new Token(Kind.AT, "@", start);
            }
            case '"', '\'' -> {
                return new Token(Kind.STRING, quoted(c), start);
            }
            case '`' -> {
                int end = in.indexOf('`', pos + 1);
                if (end < 0) {
                    throw error("unterminated raw string");
                }
                String s = in.substring(pos + 1, end);
                pos = end + 1;
                return new Token(Kind.STRING, s, start);
            }
            default -> {}
        }
        for (String op :
                new String[] {"==", "!=", "<=", ">=", "=~", "!~", "+", "-", "*", "/", "%", "^", "<", ">", "="}) {
            if (in.startsWith(op, pos)) {
                pos += op.length();
                return new Token(Kind.OP, op, start);
            }
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < in.length() && Character.isDigit(in.charAt(pos + 1)))) {
            int durationEnd = scanDuration(pos);
            if (durationEnd > 0) {
                pos = durationEnd;
                return new Token(Kind.DURATION, in.substring(start, pos), start);
            }
            return number(start);
        }
        if (isIdentStart(c)) {
            while (pos < in.length() && isIdentPart(in.charAt(pos))) {
                pos++;
            }
            String word = in.substring(start, pos);
            if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan")) {
                return new Token(Kind.NUMBER, word, start);
            }
            return new Token(Kind.IDENT, word, start);
        }
        throw error("unexpected character '" + printable(c) + "'");
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private int scanDuration(int p) {
        int i = p;
        boolean any = false;
        while (i < in.length() && Character.isDigit(in.charAt(i))) {
            int digits = i;
            while (i < in.length() && Character.isDigit(in.charAt(i))) {
                i++;
            }
            if (i == digits) {
                return -1;
            }
            if (in.startsWith("ms", i)) {
                i += 2;
            } else if (i < in.length() && "smhdwy".indexOf(in.charAt(i)) >= 0) {
                i++;
            } else {
                return -1;
            }
            any = true;
        }
        if (!any || (i < in.length() && in.charAt(i) != ':' && (isIdentPart(in.charAt(i)) || in.charAt(i) == '.'))) {
            return -1;
        }
        return i;
    }

    private Token number(int start) {
        if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
            pos += 2;
            while (pos < in.length() && Character.digit(in.charAt(pos), 16) >= 0) {
                pos++;
            }
        } else {
            while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
                pos++;
            }
            if (pos < in.length() && in.charAt(pos) == '.') {
                pos++;
                while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos < in.length() && Character.isDigit(in.charAt(pos))) {
                    while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
                        pos++;
                    }
                } else {
                    pos = save;
                }
            }
        }
        if (pos < in.length() && in.charAt(pos) != ':' && isIdentPart(in.charAt(pos))) {
            throw error("bad number or duration syntax: \"" + in.substring(start, pos + 1) + "\"");
        }
        return new Token(Kind.NUMBER, in.substring(start, pos), start);
    }

    private String quoted(char quote) {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= in.length()) {
                throw error("unterminated quoted string");
            }
            char c = in.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n') {
                throw error("unterminated quoted string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= in.length()) {
                throw error("unterminated quoted string");
            }
            char e = in.charAt(pos++);
            switch (e) {
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case '\\' -> out.append('\\');
                case '"', '\'' -> {
                    if (e != quote) {
                        throw error("unknown escape sequence");
                    }
                    out.append(e);
                }
                case 'x' -> out.append((char) hex(2));
                case 'u', 'U' -> {
                    int cp = hex(e == 'u' ? 4 : 8);
                    // Go refuses surrogate halves and values past U+10FFFF.
                    if (!Character.isValidCodePoint(cp) || cp >= 0xD800 && cp <= 0xDFFF) {
                        throw error("escape sequence is an invalid Unicode code point");
                    }
                    out.appendCodePoint(cp);
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        pos--;
                        int v = 0;
                        for (int i = 0; i < 3; i++) {
                            if (pos >= in.length() || in.charAt(pos) < '0' || in.charAt(pos) > '7') {
                                throw error("invalid escape sequence");
                            }
                            v = v * 8 + (in.charAt(pos++) - '0');
                        }
                        if (v > 255) {
                            throw error("invalid escape sequence");
                        }
                        out.append((char) v);
                    } else {
                        throw error("unknown escape sequence");
                    }
                }
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > in.length()) {
            throw error("invalid escape sequence");
        }
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(in.charAt(pos++), 16);
            if (d < 0) {
                throw error("invalid escape sequence");
            }
            v = v * 16 + d;
        }
        return v;
    }

    static boolean isIdentStart(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }
}
