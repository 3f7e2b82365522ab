package dev.nightjar.webapp.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogQueryParserTest {

    @Test
    void blankQueryMatchesEverything() {
        assertThat(LogQueryParser.parse("")).isEqualTo(ParsedLogQuery.EMPTY);
        assertThat(LogQueryParser.parse("   \t\n")).isEqualTo(ParsedLogQuery.EMPTY);
        assertThat(LogQueryParser.parse(null)).isEqualTo(ParsedLogQuery.EMPTY);
    }

    @Test
    void wordsPhrasesFiltersAndSeverities() {
        ParsedLogQuery q = LogQueryParser.parse(
                "timeout \"connection reset by peer\" service.name=checkout http.method=POST severity=warn,error");
        assertThat(q.terms()).containsExactly("timeout", "connection reset by peer");
        assertThat(q.filters())
                .containsExactly(
                        AttributeFilter.resource("service.name", "checkout"),
                        AttributeFilter.attribute("http.method", "POST"));
        assertThat(q.severities()).containsExactlyInAnyOrder(SeverityLevel.WARN, SeverityLevel.ERROR);
    }

    @Test
    void fieldNamesMapToResourceAttributeOrIntrinsic() {
        ParsedLogQuery q = LogQueryParser.parse("k8s.namespace.name=shop trace_id=0AF7651916CD43DD8448EB211C80319C"
                + " resource.team=payments attribute.service.name=x user.id=42 level=INFO");
        assertThat(q.filters())
                .containsExactly(
                        AttributeFilter.resource("k8s.namespace.name", "shop"),
                        AttributeFilter.intrinsic(FieldRef.TRACE_ID, "0af7651916cd43dd8448eb211c80319c"),
                        AttributeFilter.resource("team", "payments"),
                        AttributeFilter.attribute("service.name", "x"),
                        AttributeFilter.attribute("user.id", "42"));
        assertThat(q.severities()).containsExactly(SeverityLevel.INFO);
    }

    @Test
    void quotedValuesKeepSpacesQuotesAndBackslashes() {
        ParsedLogQuery q = LogQueryParser.parse("http.route=\"/a b\" msg=\"say \\\"hi\\\" \\\\o/\" \"x \\\" y\"");
        assertThat(q.filters())
                .containsExactly(
                        AttributeFilter.attribute("http.route", "/a b"),
                        AttributeFilter.attribute("msg", "say \"hi\" \\o/"));
        assertThat(q.terms()).containsExactly("x \" y");
    }

    @Test
    void withFilterRoundTripsThroughTheParser() {
        String value = "a \"quoted\" value with \\ and spaces";
        String query = LogQueryParser.withFilter("error", "service.name", value);
        assertThat(LogQueryParser.parse(query).filters())
                .containsExactly(AttributeFilter.resource("service.name", value));
        assertThat(LogQueryParser.withFilter("", "host.name", "h1")).isEqualTo("host.name=h1");
    }

    @Test
    void luceneAndSqlSyntaxIsSearchedAsPlainText() {
        // Nothing is handed to a query language: operators are just words or separators for full text.
        ParsedLogQuery q = LogQueryParser.parse("body:x OR AND title:(a) logs';DROP TABLE logs;-- 1=1");
        assertThat(q.terms()).containsExactly("body:x", "OR", "AND", "title:(a)", "logs';DROP", "TABLE", "logs;--");
        assertThat(q.filters()).containsExactly(AttributeFilter.attribute("1", "1"));
        LogFilter filter = q.toFilter(new TimeRange(Instant.EPOCH, Instant.EPOCH.plusSeconds(1)));
        assertThat(filter.termTokens()).contains(List.of("body", "x"), List.of("or"), List.of("logs", "drop"));
    }

    @Test
    void wordsWithoutSearchableCharactersAreRefusedWithAReason() {
        assertThatThrownBy(() -> LogQueryParser.parse("*:*"))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("no searchable characters");
    }

    @Test
    void unbalancedQuotesAreAnInlineError() {
        assertThatThrownBy(() -> LogQueryParser.parse("error \"unterminated phrase"))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("never closed");
        assertThatThrownBy(() -> LogQueryParser.parse("host.name=\"h1"))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("never closed");
        assertThatThrownBy(() -> LogQueryParser.parse("ab\"cd\""))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("Unexpected quote");
        assertThatThrownBy(() -> LogQueryParser.parse("\"a\"b"))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("space after the closing quote");
    }

    @Test
    void malformedFiltersAreInlineErrors() {
        assertThatThrownBy(() -> LogQueryParser.parse("=value")).hasMessageContaining("needs a field name");
        assertThatThrownBy(() -> LogQueryParser.parse("host.name=")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LogQueryParser.parse("severity=loud")).hasMessageContaining("not a severity");
        assertThatThrownBy(() -> LogQueryParser.parse("<script>=x")).hasMessageContaining("not a field name");
        assertThatThrownBy(() -> LogQueryParser.parse("-error")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> LogQueryParser.parse("scope.name=a trace_id=\"\""))
                .isInstanceOf(LogQuerySyntaxException.class);
    }

    @Test
    void hostileMarkupIsJustText() {
        ParsedLogQuery q = LogQueryParser.parse("\"<script>alert(1)</script>\" msg=<img/src=x/onerror=alert(1)>");
        assertThat(q.terms()).containsExactly("<script>alert(1)</script>");
        assertThat(q.filters()).containsExactly(AttributeFilter.attribute("msg", "<img/src=x/onerror=alert(1)>"));
    }

    @Test
    void overlongQueriesAreRefusedBeforeParsing() {
        String longQuery = "a".repeat(10_000);
        assertThatThrownBy(() -> LogQueryParser.parse(longQuery))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("longer than " + LogQueryParser.MAX_QUERY_LENGTH);
        String manyTerms = "w ".repeat(40);
        assertThatThrownBy(() -> LogQueryParser.parse(manyTerms))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("search terms");
        assertThatThrownBy(() -> LogQueryParser.parse("x" + "y".repeat(2000)))
                .isInstanceOf(LogQuerySyntaxException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void unicodeWordsKeysAndValues() {
        ParsedLogQuery q = LogQueryParser.parse("Zürich \"東京 駅\" 🔥 ユーザー=山田 città=\"São Paulo\"");
        assertThat(q.terms()).containsExactly("Zürich", "東京 駅", "🔥");
        assertThat(q.filters())
                .containsExactly(
                        AttributeFilter.attribute("ユーザー", "山田"), AttributeFilter.attribute("città", "São Paulo"));
        // A lone surrogate or control characters do not break the parser; they are no searchable word.
        assertThatThrownBy(() -> LogQueryParser.parse("\uD800")).isInstanceOf(LogQuerySyntaxException.class);
        assertThat(LogQueryParser.parse("a\u0000b").terms()).containsExactly("a\u0000b");
    }

    @Test
    void filtersOnlyFormRefusesWords() {
        assertThat(LogQueryParser.parseFilters("http.route=/pay k8s.pod.name=p1"))
                .containsExactly(
                        AttributeFilter.attribute("http.route", "/pay"),
                        AttributeFilter.resource("k8s.pod.name", "p1"));
        assertThatThrownBy(() -> LogQueryParser.parseFilters("oops")).hasMessageContaining("Only field=value");
        assertThat(LogQueryParser.parseFilters("")).isEmpty();
        assertThat(Set.copyOf(LogQueryParser.parseFilters("a=1 a=1"))).hasSize(1);
    }
}
