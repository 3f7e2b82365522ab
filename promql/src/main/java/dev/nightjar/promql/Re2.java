package dev.nightjar.promql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a regular expression in Go's RE2 syntax (what Prometheus accepts in {@code =~}, {@code !~}
 * and label_replace) and writes the java.util.regex pattern that matches the same strings, or
 * refuses it as Go would. Java reads much of RE2 alike but not all of it: POSIX classes
 * ({@code [[:digit:]]} is a digit in RE2 and one of ":digt" in Java), {@code \s} (no vertical tab in
 * RE2), {@code \v}, octal escapes, script names ({@code \p{Greek}}), the ungreedy flag {@code U}
 * (Unicode classes in Java), Unicode case folding under {@code i}, {@code .} and {@code $} (RE2's
 * exclude or stop at {@code \n} only), a literal {@code {} and {@code [}
 * or {@code &&} inside a class, and group names with underscores. Constructs RE2 lacks — look-around,
 * back-references, possessive and atomic groups, {@code \Z}, {@code \h}, … — are refused, where
 * Java would accept them. A pattern needing no change comes back as the same string.
 * Parsed selectors keep the RE2 text as their matchers' value and match with the translation.
 */
final class Re2 {

    /** The Java pattern and, for named groups, the Java names (in order) of each RE2 name. */
    record Translation(String java, Map<String, List<String>> groupNames) {}

    /** A pattern RE2 refuses; the message is Go's error text. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }

    private static final int MAX_REPEAT = 1000;

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "Alnum"),
            Map.entry("alpha", "Alpha"),
            Map.entry("ascii", "ASCII"),
            Map.entry("blank", "Blank"),
            Map.entry("cntrl", "Cntrl"),
            Map.entry("digit", "Digit"),
            Map.entry("graph", "Graph"),
            Map.entry("lower", "Lower"),
            Map.entry("print", "Print"),
            Map.entry("punct", "Punct"),
            Map.entry("space", "Space"),
            Map.entry("upper", "Upper"),
            Map.entry("xdigit", "XDigit"));

    /** Unicode general categories RE2 knows by their one- or two-letter names. */
    private static final Set<String> CATEGORIES = Set.of(
            "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl",
            "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");

    private static final String SPACE_CHARS = "\\t\\n\\f\\r ";

    private final String re;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, List<String>> names = new HashMap<>();
    private int groups;
    private int pos;
    private static final int UNGREEDY = 1;
    private static final int DOT_NL = 2;
    private static final int MULTI_LINE = 4;

    /** The flags in force (U, s, m), per open group (innermost first). */
    private final Deque<Integer> flags = new ArrayDeque<>();

    private boolean changed;

    private Re2(String re) {
        this.re = re;
        flags.push(0);
    }

    /** The Java equivalent of {@code re2}; throws {@link SyntaxError} where Go's parser fails. */
    static Translation translate(String re2) {
        Re2 t = new Re2(re2);
        t.run();
        return new Translation(t.changed ? t.out.toString() : re2, Map.copyOf(t.names));
    }

    private void run() {
        // Whether the previous item can take a repetition operator, and whether it is one.
        boolean canRepeat = false;
        boolean repeated = false;
        while (pos < re.length()) {
            char c = re.charAt(pos);
            switch (c) {
                case '\\' -> {
                    escape(false);
                    canRepeat = true;
                    repeated = false;
                }
                case '[' -> {
                    charClass();
                    canRepeat = true;
                    repeated = false;
                }
                case '(' -> {
                    group();
                    canRepeat = false;
                    repeated = false;
                }
                case ')' -> {
                    if (flags.size() > 1) {
                        flags.pop();
                    }
                    emit(")");
                    pos++;
                    canRepeat = true;
                    repeated = false;
                }
                case '*', '+', '?' -> {
                    if (repeated) {
                        throw new SyntaxError(
                                "invalid nested repetition operator: `" + re.substring(pos - 1, pos + 1) + "`");
                    }
                    if (!canRepeat) {
                        throw new SyntaxError("missing argument to repetition operator: `" + c + "`");
                    }
                    pos++;
                    quantifier(String.valueOf(c));
                    repeated = true;
                }
                case '{' -> {
                    int end = repetitionEnd();
                    if (end < 0) {
                        // Not a repetition: a literal brace in RE2, an error in Java.
                        literal("\\{");
                        pos++;
                        canRepeat = true;
                        repeated = false;
                    } else {
                        if (repeated) {
                            throw new SyntaxError(
                                    "invalid nested repetition operator: `" + re.substring(pos - 1, end) + "`");
                        }
                        if (!canRepeat) {
                            throw new SyntaxError(
                                    "missing argument to repetition operator: `" + re.substring(pos, end) + "`");
                        }
                        String body = re.substring(pos, end);
                        pos = end;
                        quantifier(body);
                        repeated = true;
                    }
                }
                case '|' -> {
                    emit("|");
                    pos++;
                    canRepeat = false;
                    repeated = false;
                }
                // RE2's '.' excludes only '\n' (Java's also '\r', U+0085, U+2028, U+2029, or
                // nothing under the DOTALL the store compiles with), its '$' is the end of the text
                // (Java's also matches before a final line terminator), and under (?m) lines end at
                // '\n' alone.
                case '.' -> {
                    literal((flags.peek() & DOT_NL) != 0 ? "[\\x{0}-\\x{10FFFF}]" : "[^\\n]");
                    pos++;
                    canRepeat = true;
                    repeated = false;
                }
                case '^' -> {
                    if ((flags.peek() & MULTI_LINE) != 0) {
                        literal("(?<![^\\n])");
                    } else {
                        emit("^");
                    }
                    pos++;
                    canRepeat = true;
                    repeated = false;
                }
                case '$' -> {
                    literal((flags.peek() & MULTI_LINE) != 0 ? "(?![^\\n])" : "\\z");
                    pos++;
                    canRepeat = true;
                    repeated = false;
                }
                default -> {
                    emit(String.valueOf(c));
                    pos++;
                    canRepeat = true;
                    repeated = false;
                }
            }
        }
    }

    private void emit(String s) {
        out.append(s);
    }

    /** Text that differs from the input at this point. */
    private void literal(String s) {
        out.append(s);
        changed = true;
    }

    /** Emits a repetition (already consumed), honouring a lazy {@code ?} and the ungreedy flag. */
    private void quantifier(String op) {
        boolean lazy = false;
        if (pos < re.length() && re.charAt(pos) == '?') {
            lazy = true;
            pos++;
        }
        if ((flags.peek() & UNGREEDY) != 0) {
            lazy = !lazy;
            changed = true;
        }
        out.append(op);
        if (lazy) {
            out.append('?');
        }
    }

    /** The end of a {@code {n}}, {@code {n,}} or {@code {n,m}} at pos, or -1 if there is none. */
    private int repetitionEnd() {
        int i = pos + 1;
        int start = i;
        while (i < re.length() && Character.isDigit(re.charAt(i))) {
            i++;
        }
        if (i == start || i >= re.length()) {
            return -1;
        }
        long min = parseBound(re.substring(start, i));
        long max = min;
        if (re.charAt(i) == ',') {
            i++;
            int maxStart = i;
            while (i < re.length() && Character.isDigit(re.charAt(i))) {
                i++;
            }
            max = i == maxStart ? -1 : parseBound(re.substring(maxStart, i));
        }
        if (i >= re.length() || re.charAt(i) != '}') {
            return -1;
        }
        if (min > MAX_REPEAT || max > MAX_REPEAT || max >= 0 && max < min) {
            throw new SyntaxError("invalid repeat count: `" + re.substring(pos, i + 1) + "`");
        }
        return i + 1;
    }

    private static long parseBound(String digits) {
        return digits.length() > 8 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private void group() {
        if (!re.startsWith("(?", pos)) {
            emit("(");
            pos++;
            flags.push(flags.peek());
            return;
        }
        if (re.startsWith("(?P<", pos)) {
            int close = re.indexOf('>', pos + 4);
            String name = close < 0 ? "" : re.substring(pos + 4, close);
            if (close < 0 || name.isEmpty() || !name.chars().allMatch(Re2::isWordChar)) {
                throw new SyntaxError(
                        "invalid named capture: `" + re.substring(pos, close < 0 ? re.length() : close + 1) + "`");
            }
            // Java group names are letters and digits only, starting with a letter, and unique; RE2
            // allows a name twice (a template takes the first such group that matched).
            String javaName = "g" + groups + "x" + name.replaceAll("[^A-Za-z0-9]", "");
            groups++;
            names.computeIfAbsent(name, n -> new ArrayList<>()).add(javaName);
            literal("(?<" + javaName + ">");
            pos = close + 1;
            flags.push(flags.peek());
            return;
        }
        // Flags: (?flags) or (?flags:re), flags from i m s U with an optional '-'.
        int i = pos + 2;
        boolean negate = false;
        boolean sawFlag = false;
        int set = 0;
        int cleared = 0;
        StringBuilder javaFlags = new StringBuilder();
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == ')' || c == ':') {
                break;
            }
            int bit = switch (c) {
                case 'i' -> 0;
                case 'm' -> MULTI_LINE;
                case 's' -> DOT_NL;
                case 'U' -> UNGREEDY;
                case '-' -> -1;
                default -> throw unsupportedPerl(i);
            };
            if (bit < 0) {
                if (negate) {
                    throw unsupportedPerl(i);
                }
                negate = true;
                javaFlags.append('-');
                sawFlag = false;
                i++;
                continue;
            }
            if (c == 'i') {
                javaFlags.append(negate ? "i" : "iu");
            } else if (negate) {
                cleared |= bit;
            } else {
                set |= bit;
            }
            sawFlag = true;
            i++;
        }
        if (i >= re.length() || negate && !sawFlag || i == pos + 2 && re.charAt(i) == ')') {
            throw unsupportedPerl(i);
        }
        // Only case folding is left to Java; '.', '^', '$' and laziness are written out explicitly.
        String flagText = javaFlags.toString();
        if (flagText.endsWith("-")) {
            flagText = flagText.substring(0, flagText.length() - 1);
        }
        boolean open = re.charAt(i) == ':';
        int now = (flags.peek() | set) & ~cleared;
        if (open) {
            flags.push(now);
        } else {
            flags.pop();
            flags.push(now);
        }
        String original = re.substring(pos, i + 1);
        String translated = flagText.isEmpty() ? (open ? "(?:" : "") : "(?" + flagText + (open ? ":" : ")");
        if (!translated.equals(original)) {
            changed = true;
        }
        out.append(translated);
        pos = i + 1;
    }

    private SyntaxError unsupportedPerl(int at) {
        int end = Math.min(re.length(), at + 1);
        return new SyntaxError("invalid or unsupported Perl syntax: `" + re.substring(pos, end) + "`");
    }

    private static boolean isWordChar(int c) {
        return c == '_' || c < 128 && Character.isLetterOrDigit(c);
    }

    /** An escape at pos, inside a class or not. */
    private void escape(boolean inClass) {
        if (pos + 1 >= re.length()) {
            throw new SyntaxError("trailing backslash at end of expression: ``");
        }
        char c = re.charAt(pos + 1);
        switch (c) {
            case 'd', 'D', 'w', 'W' -> {
                emit(re.substring(pos, pos + 2));
                pos += 2;
            }
            case 's' -> {
                literal(inClass ? SPACE_CHARS : "[" + SPACE_CHARS + "]");
                pos += 2;
            }
            case 'S' -> {
                // Inside a class Java's \S is kept (it differs from RE2's only for a vertical tab).
                if (inClass) {
                    emit("\\S");
                } else {
                    literal("[^" + SPACE_CHARS + "]");
                }
                pos += 2;
            }
            case 'A', 'z', 'b', 'B' -> {
                if (inClass) {
                    throw new SyntaxError("invalid escape sequence: `\\" + c + "`");
                }
                emit(re.substring(pos, pos + 2));
                pos += 2;
            }
            case 'p', 'P' -> unicodeClass(c == 'P');
            case 'Q' -> {
                if (inClass) {
                    throw new SyntaxError("invalid escape sequence: `\\Q`");
                }
                int end = re.indexOf("\\E", pos + 2);
                String text = end < 0 ? re.substring(pos + 2) : re.substring(pos + 2, end);
                for (int k = 0; k < text.length(); k++) {
                    literal(quote(text.charAt(k)));
                }
                pos = end < 0 ? re.length() : end + 2;
            }
            case 'x' -> hexEscape();
            case 'a' -> {
                literal("\\x07");
                pos += 2;
            }
            case 'v' -> {
                literal("\\x0B");
                pos += 2;
            }
            case 'f', 't', 'n', 'r' -> {
                emit(re.substring(pos, pos + 2));
                pos += 2;
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> octalEscape();
            default -> {
                if (c < 128 && !Character.isLetterOrDigit(c)) {
                    emit(re.substring(pos, pos + 2));
                    pos += 2;
                } else {
                    throw new SyntaxError("invalid escape sequence: `\\" + c + "`");
                }
            }
        }
    }

    private static String quote(char c) {
        return c < 128 && !Character.isLetterOrDigit(c) ? "\\" + c : String.valueOf(c);
    }

    private void hexEscape() {
        int start = pos;
        int i = pos + 2;
        int value;
        if (i < re.length() && re.charAt(i) == '{') {
            int close = re.indexOf('}', i);
            String digits = close < 0 ? "" : re.substring(i + 1, close);
            if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(Re2::isHex)) {
                throw new SyntaxError(
                        "invalid escape sequence: `" + re.substring(start, Math.min(re.length(), i + 1)) + "`");
            }
            value = Integer.parseInt(digits, 16);
            if (value > Character.MAX_CODE_POINT) {
                throw new SyntaxError("invalid escape sequence: `" + re.substring(start, close + 1) + "`");
            }
            pos = close + 1;
        } else {
            if (i + 2 > re.length() || !isHex(re.charAt(i)) || !isHex(re.charAt(i + 1))) {
                throw new SyntaxError(
                        "invalid escape sequence: `" + re.substring(start, Math.min(re.length(), i + 2)) + "`");
            }
            value = Integer.parseInt(re.substring(i, i + 2), 16);
            pos = i + 2;
        }
        literal(String.format("\\x{%x}", value));
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** {@code \0}, {@code \12}, {@code \123}: octal; a lone {@code \1}…{@code \7} is a back-reference RE2 refuses. */
    private void octalEscape() {
        char first = re.charAt(pos + 1);
        int i = pos + 2;
        if (first != '0' && (i >= re.length() || re.charAt(i) < '0' || re.charAt(i) > '7')) {
            throw new SyntaxError("invalid escape sequence: `\\" + first + "`");
        }
        int value = first - '0';
        int digits = 1;
        while (digits < 3 && i < re.length() && re.charAt(i) >= '0' && re.charAt(i) <= '7') {
            value = value * 8 + re.charAt(i) - '0';
            i++;
            digits++;
        }
        pos = i;
        literal(String.format("\\x{%x}", value));
    }

    private void unicodeClass(boolean negated) {
        int i = pos + 2;
        if (i >= re.length()) {
            throw new SyntaxError("invalid character class range: `" + re.substring(pos) + "`");
        }
        String name;
        int end;
        if (re.charAt(i) == '{') {
            int close = re.indexOf('}', i);
            if (close < 0) {
                throw new SyntaxError("invalid character class range: `" + re.substring(pos) + "`");
            }
            name = re.substring(i + 1, close);
            end = close + 1;
        } else {
            name = re.substring(i, i + 1);
            end = i + 1;
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String p = negated ? "\\P" : "\\p";
        String java;
        if (name.equals("Any")) {
            java = negated ? "[^\\x{0}-\\x{10FFFF}]" : "[\\x{0}-\\x{10FFFF}]";
        } else if (CATEGORIES.contains(name)) {
            java = p + "{" + name + "}";
        } else if (isScript(name)) {
            java = p + "{Is" + name + "}";
        } else {
            throw new SyntaxError("invalid character class range: `" + re.substring(pos, end) + "`");
        }
        if (!java.equals(re.substring(pos, end))) {
            changed = true;
        }
        out.append(java);
        pos = end;
    }

    private static boolean isScript(String name) {
        try {
            Character.UnicodeScript.forName(name);
            return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A bracket expression at pos, written as a Java class with only unambiguous syntax inside. */
    private void charClass() {
        int start = pos;
        StringBuilder body = new StringBuilder("[");
        pos++;
        if (pos < re.length() && re.charAt(pos) == '^') {
            body.append('^');
            pos++;
        }
        boolean first = true;
        StringBuilder saved = new StringBuilder(out);
        while (true) {
            if (pos >= re.length()) {
                throw new SyntaxError("missing closing ]: `" + re.substring(start) + "`");
            }
            char c = re.charAt(pos);
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '[' && re.startsWith("[:", pos)) {
                int close = re.indexOf(":]", pos + 2);
                if (close >= 0) {
                    String name = re.substring(pos + 2, close);
                    boolean negated = name.startsWith("^");
                    String bare = negated ? name.substring(1) : name;
                    String javaName = bare.equals("word") ? "" : POSIX.get(bare);
                    if (javaName == null) {
                        throw new SyntaxError("invalid character class range: `" + re.substring(pos, close + 2) + "`");
                    }
                    if (bare.equals("word")) {
                        body.append(negated ? "\\W" : "\\w");
                    } else {
                        body.append(negated ? "\\P{" : "\\p{").append(javaName).append('}');
                    }
                    pos = close + 2;
                    continue;
                }
            }
            if (c == '\\') {
                out.setLength(0);
                escape(true);
                body.append(out);
                out.setLength(0);
                out.append(saved);
                continue;
            }
            if (c == '[' || c == '&' || c == ']' || c == '^') {
                body.append('\\').append(c);
            } else {
                body.append(c);
            }
            pos++;
        }
        body.append(']');
        String java = body.toString();
        if (!java.equals(re.substring(start, pos))) {
            changed = true;
        }
        out.append(java);
    }
}
