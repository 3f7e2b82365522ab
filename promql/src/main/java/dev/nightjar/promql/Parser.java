package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MatchType;
import dev.nightjar.core.metrics.Matcher;
import dev.nightjar.promql.Expr.At;
import dev.nightjar.promql.Expr.VectorMatching;
import dev.nightjar.promql.Expr.VectorMatching.Cardinality;
import dev.nightjar.promql.Lexer.Kind;
import dev.nightjar.promql.Lexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent PromQL parser with precedence climbing for binary operators. Produces a typed
 * AST and type-checks it as Prometheus does; every failure is a {@link ErrorType#BAD_DATA} error.
 */
public final class Parser {

    private static final int MAX_DEPTH = 200;

    private final List<Token> tokens;
    private int index;
    private int depth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Expr parse(String query) {
        Parser parser = new Parser(Lexer.tokenize(query));
        if (parser.peek().kind() == Kind.EOF) {
            throw PromqlException.badData("1:1: parse error: no expression found in input");
        }
        Expr expr = parser.expression();
        if (parser.peek().kind() != Kind.EOF) {
            throw parser.error("unexpected " + parser.describe(parser.peek()));
        }
        return expr;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.EOF) {
            index++;
        }
        return t;
    }

    private Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error("unexpected " + describe(t) + ", expected " + what);
        }
        return take();
    }

    private String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "end of input";
            case IDENT -> "identifier \"" + t.text() + "\"";
            case STRING -> "string";
            default -> "\"" + t.text() + "\"";
        };
    }

    private PromqlException error(String message) {
        return PromqlException.badData("1:" + (peek().pos() + 1) + ": parse error: " + message);
    }

    private boolean isKeyword(Token t, String word) {
        return t.kind() == Kind.IDENT && t.text().equalsIgnoreCase(word);
    }

    private Expr expression() {
        if (++depth > MAX_DEPTH) {
            throw error("expression nested too deeply");
        }
        try {
            return binary(0);
        } finally {
            depth--;
        }
    }

    private BinaryOp peekBinaryOp() {
        Token t = peek();
        if (t.kind() == Kind.OP) {
            return BinaryOp.bySymbol(t.text());
        }
        if (t.kind() == Kind.IDENT) {
            String w = t.text().toLowerCase(java.util.Locale.ROOT);
            return switch (w) {
                case "and" -> BinaryOp.AND;
                case "or" -> BinaryOp.OR;
                case "unless" -> BinaryOp.UNLESS;
                case "atan2" -> BinaryOp.ATAN2;
                default -> null;
            };
        }
        return null;
    }

    private Expr binary(int minPrecedence) {
        Expr left = unary();
        while (true) {
            BinaryOp op = peekBinaryOp();
            if (op == null || op.precedence() < minPrecedence) {
                return left;
            }
            take();
            boolean returnBool = false;
            if (isKeyword(peek(), "bool")) {
                take();
                returnBool = true;
            }
            boolean explicit = isKeyword(peek(), "on") || isKeyword(peek(), "ignoring");
            VectorMatching matching = matching(op);
            int next = op.rightAssociative() ? op.precedence() : op.precedence() + 1;
            Expr right = binary(next);
            left = checkBinary(new Expr.Binary(op, left, right, matching, returnBool), explicit);
        }
    }

    private VectorMatching matching(BinaryOp op) {
        boolean explicit = false;
        boolean on = false;
        List<String> labels = List.of();
        if (isKeyword(peek(), "on") || isKeyword(peek(), "ignoring")) {
            on = isKeyword(take(), "on");
            labels = labelList();
            explicit = true;
        }
        Cardinality card = op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        if (isKeyword(peek(), "group_left") || isKeyword(peek(), "group_right")) {
            if (!explicit) {
                throw error("unexpected " + describe(peek()));
            }
            if (op.isSetOperator()) {
                throw error("no grouping allowed for \"" + op.symbol() + "\" operation");
            }
            card = isKeyword(take(), "group_left") ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
            if (peek().kind() == Kind.LPAREN) {
                include = labelList();
            }
            for (String l : include) {
                if (on && labels.contains(l)) {
                    throw error("label \"" + l + "\" must not occur in ON and GROUP clause at once");
                }
            }
        }
        return explicit
                ? new VectorMatching(card, labels, on, include)
                : new VectorMatching(card, List.of(), false, List.of());
    }

    private Expr checkBinary(Expr.Binary b, boolean explicitMatching) {
        ValueType l = b.lhs().type();
        ValueType r = b.rhs().type();
        boolean lOk = l == ValueType.SCALAR || l == ValueType.INSTANT_VECTOR;
        boolean rOk = r == ValueType.SCALAR || r == ValueType.INSTANT_VECTOR;
        if (!lOk || !rOk) {
            throw PromqlException.badData("binary expression must contain only scalar and instant vector types");
        }
        if (b.returnBool() && !b.op().isComparison()) {
            throw PromqlException.badData("bool modifier can only be used on comparison operators");
        }
        if (b.op().isComparison() && l == ValueType.SCALAR && r == ValueType.SCALAR && !b.returnBool()) {
            throw PromqlException.badData("comparisons between scalars must use BOOL modifier");
        }
        if (b.op().isSetOperator() && (l == ValueType.SCALAR || r == ValueType.SCALAR)) {
            throw PromqlException.badData(
                    "set operator \"" + b.op().symbol() + "\" not allowed in binary scalar expression");
        }
        if (explicitMatching && (l != ValueType.INSTANT_VECTOR || r != ValueType.INSTANT_VECTOR)) {
            throw PromqlException.badData("vector matching only allowed between instant vectors");
        }
        return b;
    }

    private Expr unary() {
        Token t = peek();
        if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
            take();
            Expr operand = binary(BinaryOp.POW.precedence());
            if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.INSTANT_VECTOR) {
                throw PromqlException.badData(
                        "unary expression only allowed on expressions of type scalar or instant vector, got \""
                                + operand.type() + "\"");
            }
            if (t.text().equals("+")) {
                return operand;
            }
            if (operand instanceof Expr.NumberLiteral n) {
                return new Expr.NumberLiteral(-n.value());
            }
            return new Expr.Unary(true, operand);
        }
        return postfix(primary());
    }

    private Expr postfix(Expr expr) {
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.LBRACKET) {
                expr = rangeOrSubquery(expr);
            } else if (isKeyword(t, "offset")) {
                take();
                boolean negative = false;
                if (peek().is(Kind.OP, "-")) {
                    take();
                    negative = true;
                }
                long offset =
                        Durations.parseMillis(expect(Kind.DURATION, "duration").text());
                expr = withOffset(expr, negative ? -offset : offset);
            } else if (t.kind() == Kind.AT) {
                take();
                expr = withAt(expr, atValue());
            } else {
                return expr;
            }
        }
    }

    private At atValue() {
        Token t = peek();
        if (isKeyword(t, "start") || isKeyword(t, "end")) {
            take();
            expect(Kind.LPAREN, "\"(\"");
            expect(Kind.RPAREN, "\")\"");
            return new At(t.text().equalsIgnoreCase("start") ? At.Kind.START : At.Kind.END, 0);
        }
        boolean negative = false;
        if (t.is(Kind.OP, "-") || t.is(Kind.OP, "+")) {
            negative = take().text().equals("-");
        }
        Token n = expect(Kind.NUMBER, "timestamp for @ modifier");
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
                    throw error("offset may not be set multiple times");
                }
                yield new Expr.VectorSelector(v.metricName(), v.matchers(), offset, v.at());
            }
            case Expr.MatrixSelector m ->
                new Expr.MatrixSelector((Expr.VectorSelector) withOffset(m.selector(), offset), m.rangeMs());
            case Expr.Subquery s -> {
                if (s.offsetMs() != 0) {
                    throw error("offset may not be set multiple times");
                }
                yield new Expr.Subquery(s.expr(), s.rangeMs(), s.stepMs(), offset, s.at());
            }
            default ->
                throw error(
                        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        };
    }

    private Expr withAt(Expr expr, At at) {
        return switch (expr) {
            case Expr.VectorSelector v -> {
                if (v.at() != null) {
                    throw error("@ <timestamp> may not be set multiple times");
                }
                yield new Expr.VectorSelector(v.metricName(), v.matchers(), v.offsetMs(), at);
            }
            case Expr.MatrixSelector m ->
                new Expr.MatrixSelector((Expr.VectorSelector) withAt(m.selector(), at), m.rangeMs());
            case Expr.Subquery s -> {
                if (s.at() != null) {
                    throw error("@ <timestamp> may not be set multiple times");
                }
                yield new Expr.Subquery(s.expr(), s.rangeMs(), s.stepMs(), s.offsetMs(), at);
            }
            default ->
                throw error(
                        "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        };
    }

    private Expr rangeOrSubquery(Expr expr) {
        expect(Kind.LBRACKET, "\"[\"");
        long range = Durations.parseMillis(expect(Kind.DURATION, "duration").text());
        if (peek().kind() == Kind.COLON) {
            take();
            long step = 0;
            if (peek().kind() == Kind.DURATION) {
                step = Durations.parseMillis(take().text());
            }
            expect(Kind.RBRACKET, "\"]\"");
            if (expr.type() != ValueType.INSTANT_VECTOR) {
                throw PromqlException.badData(
                        "subquery is only allowed on instant vector, got " + expr.type() + " instead");
            }
            if (range <= 0) {
                throw PromqlException.badData("subquery range must be positive");
            }
            return new Expr.Subquery(expr, range, step, 0, null);
        }
        expect(Kind.RBRACKET, "\"]\"");
        if (!(expr instanceof Expr.VectorSelector v)) {
            throw PromqlException.badData("ranges only allowed for vector selectors");
        }
        if (v.offsetMs() != 0 || v.at() != null) {
            throw error("no offset or @ modifiers allowed before range");
        }
        if (range <= 0) {
            throw PromqlException.badData("range must be positive");
        }
        return new Expr.MatrixSelector(v, range);
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                take();
                return new Expr.NumberLiteral(Literals.parseNumber(t.text()));
            }
            case STRING -> {
                take();
                return new Expr.StringLiteral(t.text());
            }
            case LPAREN -> {
                take();
                Expr inner = expression();
                expect(Kind.RPAREN, "\")\"");
                return new Expr.Paren(inner);
            }
            case LBRACE -> {
                return selector(null);
            }
            case IDENT -> {
                AggregateOp agg = AggregateOp.byName(t.text().toLowerCase(java.util.Locale.ROOT));
                Token after = peek(1);
                if (agg != null
                        && (after.kind() == Kind.LPAREN || isKeyword(after, "by") || isKeyword(after, "without"))) {
                    return aggregate(agg);
                }
                if (after.kind() == Kind.LPAREN) {
                    return call();
                }
                take();
                return selector(t.text());
            }
            default -> throw error("unexpected " + describe(t));
        }
    }

    private Expr call() {
        Token name = take();
        Function f = Function.byName(name.text());
        if (f == null) {
            throw PromqlException.badData(
                    "1:" + (name.pos() + 1) + ": parse error: unknown function with name \"" + name.text() + "\"");
        }
        expect(Kind.LPAREN, "\"(\"");
        List<Expr> args = new ArrayList<>();
        if (peek().kind() != Kind.RPAREN) {
            args.add(expression());
            while (peek().kind() == Kind.COMMA) {
                take();
                args.add(expression());
            }
        }
        expect(Kind.RPAREN, "\")\"");
        if (args.size() < f.minArgs() || args.size() > f.maxArgs()) {
            String expected = f.variadic()
                    ? "at least " + f.minArgs()
                    : Integer.toString(args.size() < f.minArgs() ? f.minArgs() : f.maxArgs());
            throw PromqlException.badData(
                    "expected " + expected + " argument(s) in call to \"" + f.promqlName() + "\", got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            ValueType wanted = f.argTypes().get(Math.min(i, f.argTypes().size() - 1));
            ValueType got = args.get(i).type();
            if (got != wanted) {
                throw PromqlException.badData(
                        "expected type " + wanted + " in call to function \"" + f.promqlName() + "\", got " + got);
            }
        }
        return new Expr.Call(f, args);
    }

    private Expr aggregate(AggregateOp op) {
        take();
        List<String> grouping = List.of();
        boolean without = false;
        boolean groupingSeen = false;
        if (isKeyword(peek(), "by") || isKeyword(peek(), "without")) {
            without = isKeyword(take(), "without");
            grouping = labelList();
            groupingSeen = true;
        }
        expect(Kind.LPAREN, "\"(\"");
        Expr param = null;
        if (op.paramType() != null) {
            param = expression();
            expect(Kind.COMMA, "\",\"");
        }
        Expr expr = expression();
        expect(Kind.RPAREN, "\")\"");
        if (!groupingSeen && (isKeyword(peek(), "by") || isKeyword(peek(), "without"))) {
            without = isKeyword(take(), "without");
            grouping = labelList();
        }
        if (expr.type() != ValueType.INSTANT_VECTOR) {
            throw PromqlException.badData("expected type instant vector in aggregation expression, got " + expr.type());
        }
        if (param != null && param.type() != op.paramType()) {
            throw PromqlException.badData(
                    "expected type " + op.paramType() + " in aggregation parameter, got " + param.type());
        }
        return new Expr.Aggregate(op, expr, param, grouping, without);
    }

    private List<String> labelList() {
        expect(Kind.LPAREN, "\"(\"");
        List<String> labels = new ArrayList<>();
        while (peek().kind() != Kind.RPAREN) {
            Token t = expect(Kind.IDENT, "label");
            if (!Labels.isValidLabelName(t.text())) {
                throw error("invalid label name \"" + t.text() + "\"");
            }
            labels.add(t.text());
            if (peek().kind() == Kind.COMMA) {
                take();
            } else {
                break;
            }
        }
        expect(Kind.RPAREN, "\")\"");
        return labels;
    }

    private Expr selector(String metricName) {
        List<Matcher> matchers = new ArrayList<>();
        if (metricName != null) {
            matchers.add(Matcher.metricName(metricName));
        }
        if (peek().kind() == Kind.LBRACE) {
            take();
            while (peek().kind() != Kind.RBRACE) {
                Token name = expect(Kind.IDENT, "label matching");
                if (!Labels.isValidLabelName(name.text())) {
                    throw error("invalid label name \"" + name.text() + "\"");
                }
                Token op = expect(Kind.OP, "label matching operator");
                MatchType type = switch (op.text()) {
                    case "=" -> MatchType.EQUAL;
                    case "!=" -> MatchType.NOT_EQUAL;
                    case "=~" -> MatchType.REGEX;
                    case "!~" -> MatchType.NOT_REGEX;
                    default ->
                        throw error(
                                "unexpected \"" + op.text() + "\" in label matching, expected label matching operator");
                };
                String value = expect(Kind.STRING, "label value").text();
                if (metricName != null && name.text().equals(Labels.METRIC_NAME)) {
                    throw PromqlException.badData(
                            "metric name must not be set twice: \"" + metricName + "\" or \"" + value + "\"");
                }
                try {
                    matchers.add(Matcher.of(name.text(), type, value));
                } catch (IllegalArgumentException e) {
                    throw PromqlException.badData("1:" + (op.pos() + 1) + ": parse error: " + e.getMessage());
                }
                if (peek().kind() == Kind.COMMA) {
                    take();
                } else {
                    break;
                }
            }
            expect(Kind.RBRACE, "\"}\"");
        }
        boolean nonEmpty = matchers.stream().anyMatch(m -> !m.matchesEmpty());
        if (!nonEmpty) {
            throw PromqlException.badData("vector selector must contain at least one non-empty matcher");
        }
        return new Expr.VectorSelector(metricName, matchers, 0, null);
    }
}
