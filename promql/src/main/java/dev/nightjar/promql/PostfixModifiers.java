package dev.nightjar.promql;

import dev.nightjar.promql.Expr.At;
import dev.nightjar.promql.Lexer.Kind;
import dev.nightjar.promql.Lexer.Token;

/** What may follow an expression: a range {@code [5m]}, a subquery {@code [1h:1m]}, {@code offset} and {@code @}. */
final class PostfixModifiers {

    private final TokenCursor in;

    PostfixModifiers(TokenCursor in) {
        this.in = in;
    }

    Expr postfix(Expr expr) {
        while (true) {
            Token t = in.peek();
            if (t.kind() == Kind.LBRACKET) {
                expr = rangeOrSubquery(expr);
            } else if (in.isKeyword(t, "offset")) {
                in.take();
                boolean negative = false;
                if (in.peek().is(Kind.OP, "-")) {
                    in.take();
                    negative = true;
                }
                long offset = positive(in.expect(Kind.DURATION, "duration"));
                expr = withOffset(expr, negative ? -offset : offset);
            } else if (t.kind() == Kind.AT) {
                in.take();
                expr = withAt(expr, atValue());
            } else {
                return expr;
            }
        }
    }

    /** A duration literal's milliseconds; zero is refused, as Prometheus refuses it everywhere. */
    private static long positive(Token duration) {
        long ms = Durations.parseMillis(duration.text());
        if (ms == 0) {
            throw PromqlException.badData(
                    "1:" + (duration.pos() + 1) + ": parse error: duration must be greater than 0");
        }
        return ms;
    }

    private At atValue() {
        Token t = in.peek();
        if (in.isKeyword(t, "start") || in.isKeyword(t, "end")) {
            in.take();
            in.expect(Kind.LPAREN, "\"(\"");
            in.expect(Kind.RPAREN, "\")\"");
            return new At(t.text().equalsIgnoreCase("start") ? At.Kind.START : At.Kind.END, 0);
        }
        boolean negative = false;
        if (t.is(Kind.OP, "-") || t.is(Kind.OP, "+")) {
            negative = in.take().text().equals("-");
        }
        Token n = in.expect(Kind.NUMBER, "timestamp for @ modifier");
        double seconds = Literals.parseNumber(n.text());
        if (negative) {
            seconds = -seconds;
        }
        if (!Double.isFinite(seconds) || Math.abs(seconds) > 9.2e15) {
            throw PromqlException.badData("timestamp out of bounds for @ modifier: " + seconds);
        }
        return new At(At.Kind.TIME, Math.round(seconds * 1000));
    }

    private Expr withOffset(Expr expr, long offset) {
        return switch (expr) {
            case Expr.VectorSelector v -> {
                if (v.offsetMs() != 0) {
                    throw in.error("offset may not be set multiple times");
                }
                yield new Expr.VectorSelector(v.metricName(), v.matchers(), offset, v.at());
            }
            case Expr.MatrixSelector m ->
                new Expr.MatrixSelector((Expr.VectorSelector) withOffset(m.selector(), offset), m.rangeMs());
            case Expr.Subquery s -> {
                if (s.offsetMs() != 0) {
                    throw in.error("offset may not be set multiple times");
                }
                yield new Expr.Subquery(s.expr(), s.rangeMs(), s.stepMs(), offset, s.at());
            }
            default ->
                throw in.error(
                        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        };
    }

    private Expr withAt(Expr expr, At at) {
        return switch (expr) {
            case Expr.VectorSelector v -> {
                if (v.at() != null) {
                    throw in.error("@ <timestamp> may not be set multiple times");
                }
                yield new Expr.VectorSelector(v.metricName(), v.matchers(), v.offsetMs(), at);
            }
            case Expr.MatrixSelector m ->
                new Expr.MatrixSelector((Expr.VectorSelector) withAt(m.selector(), at), m.rangeMs());
            case Expr.Subquery s -> {
                if (s.at() != null) {
                    throw in.error("@ <timestamp> may not be set multiple times");
                }
                yield new Expr.Subquery(s.expr(), s.rangeMs(), s.stepMs(), s.offsetMs(), at);
            }
            default ->
                throw in.error(
                        "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        };
    }

    private Expr rangeOrSubquery(Expr expr) {
        in.expect(Kind.LBRACKET, "\"[\"");
        long range = positive(in.expect(Kind.DURATION, "duration"));
        if (in.peek().kind() == Kind.COLON) {
            in.take();
            long step = 0;
            if (in.peek().kind() == Kind.DURATION) {
                step = positive(in.take());
            }
            in.expect(Kind.RBRACKET, "\"]\"");
            if (expr.type() != ValueType.INSTANT_VECTOR) {
                throw PromqlException.badData(
                        "subquery is only allowed on instant vector, got " + expr.type() + " instead");
            }
            if (range <= 0) {
                throw PromqlException.badData("subquery range must be positive");
            }
            return new Expr.Subquery(expr, range, step, 0, null);
        }
        in.expect(Kind.RBRACKET, "\"]\"");
        if (!(expr instanceof Expr.VectorSelector v)) {
            throw PromqlException.badData("ranges only allowed for vector selectors");
        }
        if (v.offsetMs() != 0 || v.at() != null) {
            throw in.error("no offset or @ modifiers allowed before range");
        }
        if (range <= 0) {
            throw PromqlException.badData("range must be positive");
        }
        return new Expr.MatrixSelector(v, range);
    }
}
