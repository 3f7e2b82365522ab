package dev.nightjar.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.promql.Expr.VectorMatching.Cardinality;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParserTest {

    @Test
    void selectorsWithModifiersBecomeTypedNodes() {
        Expr e = Parser.parse("rate(http_requests_total{job=~\"api.*\", code!=\"500\"}[5m] offset 1h @ 1700000000)");

        Expr.Call call = (Expr.Call) e;
        assertThat(call.function()).isEqualTo(Function.RATE);
        Expr.MatrixSelector m = (Expr.MatrixSelector) call.args().getFirst();
        assertThat(m.rangeMs()).isEqualTo(300_000);
        assertThat(m.selector().offsetMs()).isEqualTo(3_600_000);
        assertThat(m.selector().at()).isEqualTo(new Expr.At(Expr.At.Kind.TIME, 1_700_000_000_000L));
        assertThat(m.selector().matchers())
                .containsExactly(
                        Matcher.metricName("http_requests_total"),
                        Matcher.regex("job", "api.*"),
                        Matcher.notEqual("code", "500"));
    }

    @Test
    void precedenceAndAssociativityFollowPromql() {
        Expr.Binary or = (Expr.Binary) Parser.parse("a or b and c unless d");
        assertThat(or.op()).isEqualTo(BinaryOp.OR);
        assertThat(((Expr.Binary) or.rhs()).op()).isEqualTo(BinaryOp.UNLESS);

        Expr.Binary pow = (Expr.Binary) Parser.parse("2 ^ 3 ^ 2");
        assertThat(pow.rhs()).isInstanceOf(Expr.Binary.class);

        Expr.Unary neg = (Expr.Unary) Parser.parse("-a ^ 2");
        assertThat(((Expr.Binary) neg.expr()).op()).isEqualTo(BinaryOp.POW);

        Expr.Binary sub = (Expr.Binary) Parser.parse("a - b - c");
        assertThat(sub.lhs()).isInstanceOf(Expr.Binary.class);
    }

    @Test
    void vectorMatchingAndGroupingModifiers() {
        Expr.Binary b = (Expr.Binary) Parser.parse("a * on(instance) group_left(role, team) b");
        assertThat(b.matching().cardinality()).isEqualTo(Cardinality.MANY_TO_ONE);
        assertThat(b.matching().on()).isTrue();
        assertThat(b.matching().labels()).containsExactly("instance");
        assertThat(b.matching().include()).containsExactly("role", "team");

        Expr.Binary cmp = (Expr.Binary) Parser.parse("a > bool ignoring(x) b");
        assertThat(cmp.returnBool()).isTrue();
        assertThat(cmp.matching().on()).isFalse();
    }

    @Test
    void aggregationsAcceptGroupingBeforeOrAfterAndParameters() {
        Expr.Aggregate a = (Expr.Aggregate) Parser.parse("topk by (job) (3, x)");
        Expr.Aggregate b = (Expr.Aggregate) Parser.parse("topk(3, x) by (job)");
        assertThat(a.grouping()).isEqualTo(b.grouping()).containsExactly("job");
        assertThat(a.param()).isEqualTo(new Expr.NumberLiteral(3));
        Expr.Aggregate c = (Expr.Aggregate) Parser.parse("count_values without (a) (\"v\", x)");
        assertThat(c.without()).isTrue();
        assertThat(c.param()).isEqualTo(new Expr.StringLiteral("v"));
    }

    @Test
    void subqueriesAndLiterals() {
        Expr.Subquery s = (Expr.Subquery) Parser.parse("rate(x[5m])[1h:30s] offset 5m");
        assertThat(s.rangeMs()).isEqualTo(3_600_000);
        assertThat(s.stepMs()).isEqualTo(30_000);
        assertThat(s.offsetMs()).isEqualTo(300_000);
        assertThat(((Expr.Subquery) Parser.parse("x[1h:]")).stepMs()).isZero();
        assertThat(Parser.parse("0x1F")).isEqualTo(new Expr.NumberLiteral(31));
        assertThat(Parser.parse("1e3")).isEqualTo(new Expr.NumberLiteral(1000));
        assertThat(Parser.parse("-Inf")).isEqualTo(new Expr.NumberLiteral(Double.NEGATIVE_INFINITY));
        assertThat(((Expr.NumberLiteral) Parser.parse("NaN")).value()).isNaN();
        assertThat(Parser.parse("`raw\\n`")).isEqualTo(new Expr.StringLiteral("raw\\n"));
        assertThat(Parser.parse("'a\\'b'")).isEqualTo(new Expr.StringLiteral("a'b"));
        assertThat(Parser.parse("\"\\u00e9\\x41\"")).isEqualTo(new Expr.StringLiteral("éA"));
        assertThat(Durations.parseMillis("1h30m")).isEqualTo(5_400_000);
        assertThat(Durations.parseMillis("1w2d")).isEqualTo(9L * 24 * 3_600_000);
        assertThat(((Expr.VectorSelector) Parser.parse("x @ start()")).at().kind())
                .isEqualTo(Expr.At.Kind.START);
        assertThat(Parser.parse("x # comment")).isInstanceOf(Expr.VectorSelector.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "(",
                "sum(",
                "x{",
                "x{a=}",
                "x{a=\"b\"",
                "x[5m",
                "x[5x]",
                "1 +",
                "rate(x)",
                "abs(x[5m])",
                "sum(x[5m])",
                "x[5m][5m]",
                "1 > 2",
                "x and 1",
                "1 + on(a) 2",
                "a + bool b",
                "foo(x)",
                "x offset",
                "\"unterminated",
                "'bad \\q escape'",
                "x[1m:1m][1m]",
                "{}",
                "{a=~\".*\"}",
                "topk(x)",
                "count_values(1, x)",
                "histogram_quantile(x, 0.5)",
                "label_join(x)",
                "x[1m15s10h]",
                "x{a=\"b\"} @ foo",
                "x offset 1m offset 1m",
                "round(x, 1, 2)",
                "1 1",
                "x{1a=\"b\"}",
                "a * on(x) group_left(x) b",
                "a and on(x) group_left b",
                "x{__name__=\"y\"}",
                "x[0s]",
                "x[1m:0s:1m]",
            })
    void malformedQueriesAreBadData(String query) {
        assertThatThrownBy(() -> Parser.parse(query))
                .isInstanceOf(PromqlException.class)
                .extracting(e -> ((PromqlException) e).type())
                .isEqualTo(ErrorType.BAD_DATA);
    }

    @Test
    void hostileInputIsRefusedWithoutExhaustingTheStack() {
        String deep = "(".repeat(10_000) + "1" + ")".repeat(10_000);
        assertThatThrownBy(() -> Parser.parse(deep)).isInstanceOf(PromqlException.class);
        String longQuery = "x" + " + x".repeat(40_000);
        assertThatThrownBy(() -> Parser.parse(longQuery))
                .isInstanceOf(PromqlException.class)
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> Parser.parse("x{a=~\"" + "a".repeat(5000) + "\"}"))
                .isInstanceOf(PromqlException.class);
        assertThatThrownBy(() -> Parser.parse("x\u0000")).isInstanceOf(PromqlException.class);
        assertThatThrownBy(() -> Parser.parse("x[99999999999999999999y]")).isInstanceOf(PromqlException.class);
        assertThat(Parser.parse("-".repeat(50) + "1")).isEqualTo(new Expr.NumberLiteral(1));
    }

    @Test
    void everyFunctionIsKnownByItsPromqlName() {
        for (Function f : Function.values()) {
            assertThat(Function.byName(f.promqlName())).isEqualTo(f);
        }
        assertThat(List.of(AggregateOp.values())).hasSize(12);
    }
}
