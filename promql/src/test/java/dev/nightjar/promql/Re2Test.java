package dev.nightjar.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** RE2 patterns match what they match in Go (Prometheus), and what Go refuses is refused. */
class Re2Test {

    private static boolean matches(String re2, String s) {
        return Pattern.compile(Re2.translate(re2).java()).matcher(s).matches();
    }

    @Test
    void patternsNeedingNoChangeComeBackUnchanged() {
        for (String re : new String[] {"5xx", "a|b|c", "^foo", "(?:x)+", "[a-z0-9_.]+", "x{2,3}", "\\d\\w\\."}) {
            assertThat(Re2.translate(re).java()).isSameAs(re);
        }
    }

    @Test
    void posixClassesAreCharacterClasses() {
        assertThat(matches("[[:digit:]]+", "123")).isTrue();
        assertThat(matches("[[:digit:]]", ":")).isFalse();
        assertThat(matches("[^[:space:]]+", "abc")).isTrue();
        assertThat(matches("[[:^alpha:]]", "a")).isFalse();
        assertThat(matches("[[:word:]]+", "a_1")).isTrue();
    }

    @Test
    void literalBracketsAndAmpersandsInsideClasses() {
        assertThat(matches("[[a]+b", "a[b")).isTrue();
        assertThat(matches("[a&&b]+", "a&b")).isTrue();
        assertThat(matches("[]a]+", "a]")).isTrue();
        assertThat(matches("x{", "x{")).isTrue();
    }

    @Test
    void escapesFlagsAndScripts() {
        assertThat(matches("\\s", "\u000b")).isFalse();
        assertThat(matches("\\v", "\u000b")).isTrue();
        assertThat(matches("\\012", "\n")).isTrue();
        assertThat(matches("\\p{Greek}", "Ω")).isTrue();
        assertThat(matches("(?i)é", "É")).isTrue();
        Pattern ungreedy = Pattern.compile(Re2.translate("(?U)(a+)(.*)").java());
        var m = ungreedy.matcher("aab");
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).isEqualTo("a");
    }

    @Test
    void dotAndDollarStopAtNewlineOnly() {
        assertThat(matches("a.b", "a\nb")).isFalse();
        assertThat(matches("a.b", "a\rb")).isTrue();
        assertThat(matches("(?s)a.b", "a\nb")).isTrue();
        assertThat(matches("(?s:a).b", "a\nb")).isFalse();
        assertThat(matches("ab$", "ab")).isTrue();
        assertThat(Pattern.compile(Re2.translate("ab$").java()).matcher("ab\n").find())
                .isFalse();
        assertThat(matches("(?m)ab$\n", "ab\n")).isTrue();
        assertThat(matches("(?m)a\n^b", "a\nb")).isTrue();
        // The store compiles with DOTALL; the translation must not depend on it.
        assertThat(Pattern.compile(Re2.translate("a.b").java(), Pattern.DOTALL)
                        .matcher("a\nb")
                        .matches())
                .isFalse();
    }

    @Test
    void namedGroupsWithUnderscoresAndRepeatedNames() {
        Re2.Translation t = Re2.translate("(?P<first_name>x)(?P<n>y)|(?P<n>z)");
        assertThat(t.groupNames().get("first_name")).hasSize(1);
        assertThat(t.groupNames().get("n")).hasSize(2);
        assertThat(Pattern.compile(t.java()).matcher("xy").matches()).isTrue();
    }

    @Test
    void whatGoRefusesIsRefused() {
        for (String re : new String[] {
            "a(?=b)",
            "a(?!b)",
            "(?<=a)b",
            "(?>a)",
            "(a)\\1",
            "\\1",
            "\\Z",
            "\\e",
            "a*+",
            "a**",
            "*a",
            "a{1001}",
            "(?<n>x)",
            "(?P=n)",
            "[[:foo:]]",
            "\\p{Nope}"
        }) {
            assertThatThrownBy(() -> Re2.translate(re)).as(re).isInstanceOf(Re2.SyntaxError.class);
        }
    }
}
