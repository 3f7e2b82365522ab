package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.MatchType;
import dev.nightjar.core.metrics.Matcher;
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

    private final TokenCursor in;
    private final PostfixModifiers modifiers;
    private int depth;

    private Parser(List<Token> tokens) {
        this.in = new TokenCursor(tokens);
        this.modifiers = new PostfixModifiers(in);
    }

    public static Expr parse(String query) {
        Parser parser = new Parser(Lexer.tokenize(query));
        if (parser.in.peek().kind() == Kind.EOF) {
            throw PromqlException.badData("1:1: parse error: no expression found in input");
        }
        Expr expr = parser.expression();
        if (parser.in.peek().kind() != Kind.EOF) {
            throw parser.in.error("unexpected " + parser.in.describe(parser.in.peek()));
        }
        return expr;
    }

    private Expr expression() {
        if (++depth > MAX_DEPTH) {
            throw in.error("expression nested too deeply");
        }
        try {
            return binary(0);
        } finally {
            depth--;
        }
    }

    private BinaryOp peekBinaryOp() {
        Token t = in.peek();
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
            in.take();
            boolean returnBool = false;
            if (in.isKeyword(in.peek(), "bool")) {
                in.take();
                returnBool = true;
            }
            boolean explicit = in.isKeyword(in.peek(), "on") || in.isKeyword(in.peek(), "ignoring");
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
        if (in.isKeyword(in.peek(), "on") || in.isKeyword(in.peek(), "ignoring")) {
            on = in.isKeyword(in.take(), "on");
            labels = labelList();
            explicit = true;
        }
        Cardinality card = op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        if (in.isKeyword(in.peek(), "group_left") || in.isKeyword(in.peek(), "group_right")) {
            if (!explicit) {
                throw in.error("unexpected " + in.describe(in.peek()));
            }
            if (op.isSetOperator()) {
                throw in.error("no grouping allowed for \"" + op.symbol() + "\" operation");
            }
            card = in.isKeyword(in.take(), "group_left") ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
            if (in.peek().kind() == Kind.LPAREN) {
                include = labelList();
            }
            for (String l : include) {
                if (on && labels.contains(l)) {
                    throw in.error("label \"" + l + "\" must not occur in ON and GROUP clause at once");
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
        Token t = in.peek();
        if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
            in.take();
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
        return modifiers.postfix(primary());
    }

    private Expr primary() {
        Token t = in.peek();
        switch (t.kind()) {
            case NUMBER -> {
                in.take();
                return new Expr.NumberLiteral(Literals.parseNumber(t.text()));
            }
            case STRING -> {
                in.take();
                return new Expr.StringLiteral(t.text());
            }
            case LPAREN -> {
                in.take();
                Expr inner = expression();
                in.expect(Kind.RPAREN, "\")\"");
                return new Expr.Paren(inner);
            }
            case LBRACE -> {
                return selector(null);
            }
            case IDENT -> {
                AggregateOp agg = AggregateOp.byName(t.text().toLowerCase(java.util.Locale.ROOT));
                Token after = in.peek(1);
                if (agg != null
                        && (after.kind() == Kind.LPAREN
                                || in.isKeyword(after, "by")
                                || in.isKeyword(after, "without"))) {
                    return aggregate(agg);
                }
                if (after.kind() == Kind.LPAREN) {
                    return call();
                }
                String lower = t.text().toLowerCase(java.util.Locale.ROOT);
                if (NOT_METRIC_NAMES.contains(lower)) {
                    // Keywords that only modify a binary operator cannot name a metric.
                    throw PromqlException.badData("1:" + (t.pos() + 1) + ": parse error: unexpected <" + lower + ">");
                }
                in.take();
                return selector(t.text());
            }
            default -> throw in.error("unexpected " + in.describe(t));
        }
    }

    /**
     * A label matcher. A regular expression keeps its RE2 text as the matcher's value (what the
     * query said) and matches with the equivalent Java pattern ({@link Re2}).
     */
    private static Matcher matcher(String name, MatchType type, String value) {
        if (type != MatchType.REGEX && type != MatchType.NOT_REGEX) {
            return Matcher.of(name, type, value);
        }
        if (value.length() > Matcher.MAX_REGEX_LENGTH) {
            throw new IllegalArgumentException(
                    "regular expression longer than " + Matcher.MAX_REGEX_LENGTH + " characters");
        }
        java.util.regex.Pattern pattern;
        try {
            pattern = java.util.regex.Pattern.compile(Re2.translate(value).java());
        } catch (Re2.SyntaxError e) {
            throw new IllegalArgumentException("error parsing regexp: " + e.getMessage(), e);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression: " + e.getDescription(), e);
        }
        return new Matcher(name, type, value, pattern);
    }

    private static final java.util.Set<String> NOT_METRIC_NAMES =
            java.util.Set.of("on", "ignoring", "group_left", "group_right", "bool", "atan2");

    private Expr call() {
        Token name = in.take();
        Function f = Function.byName(name.text());
        if (f == null) {
            throw PromqlException.badData(
                    "1:" + (name.pos() + 1) + ": parse error: unknown function with name \"" + name.text() + "\"");
        }
        in.expect(Kind.LPAREN, "\"(\"");
        List<Expr> args = new ArrayList<>();
        if (in.peek().kind() != Kind.RPAREN) {
            args.add(expression());
            while (in.peek().kind() == Kind.COMMA) {
                in.take();
                args.add(expression());
            }
        }
        in.expect(Kind.RPAREN, "\")\"");
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
        in.take();
        List<String> grouping = List.of();
        boolean without = false;
        boolean groupingSeen = false;
        if (in.isKeyword(in.peek(), "by") || in.isKeyword(in.peek(), "without")) {
            without = in.isKeyword(in.take(), "without");
            grouping = labelList();
            groupingSeen = true;
        }
        in.expect(Kind.LPAREN, "\"(\"");
        Expr param = null;
        if (op.paramType() != null) {
            param = expression();
            in.expect(Kind.COMMA, "\",\"");
        }
        Expr expr = expression();
        in.expect(Kind.RPAREN, "\")\"");
        if (!groupingSeen && (in.isKeyword(in.peek(), "by") || in.isKeyword(in.peek(), "without"))) {
            without = in.isKeyword(in.take(), "without");
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
        in.expect(Kind.LPAREN, "\"(\"");
        List<String> labels = new ArrayList<>();
        while (in.peek().kind() != Kind.RPAREN) {
            Token t = in.expect(Kind.IDENT, "label");
            if (!Labels.isValidLabelName(t.text())) {
                throw in.error("invalid label name \"" + t.text() + "\"");
            }
            labels.add(t.text());
            if (in.peek().kind() == Kind.COMMA) {
                in.take();
            } else {
                break;
            }
        }
        in.expect(Kind.RPAREN, "\")\"");
        return labels;
    }

    private Expr selector(String metricName) {
        List<Matcher> matchers = new ArrayList<>();
        if (metricName != null) {
            matchers.add(Matcher.metricName(metricName));
        }
        if (in.peek().kind() == Kind.LBRACE) {
            in.take();
            while (in.peek().kind() != Kind.RBRACE) {
                Token name = in.expect(Kind.IDENT, "label matching");
                if (!Labels.isValidLabelName(name.text())) {
                    throw in.error("invalid label name \"" + name.text() + "\"");
                }
                Token op = in.expect(Kind.OP, "label matching operator");
                MatchType type = switch (op.text()) {
                    case "=" -> MatchType.EQUAL;
                    case "!=" -> MatchType.NOT_EQUAL;
                    case "=~" -> MatchType.REGEX;
                    case "!~" -> MatchType.NOT_REGEX;
                    default ->
                        throw in.error(
                                "unexpected \"" + op.text() + "\" in label matching, expected label matching operator");
                };
                String value = in.expect(Kind.STRING, "label value").text();
                if (metricName != null && name.text().equals(Labels.METRIC_NAME)) {
                    throw PromqlException.badData(
                            "metric name must not be set twice: \"" + metricName + "\" or \"" + value + "\"");
                }
                try {
                    matchers.add(matcher(name.text(), type, value));
                } catch (IllegalArgumentException e) {
                    throw PromqlException.badData("1:" + (op.pos() + 1) + ": parse error: " + e.getMessage());
                }
                if (in.peek().kind() == Kind.COMMA) {
                    in.take();
                } else {
                    break;
                }
            }
            in.expect(Kind.RBRACE, "\"}\"");
        }
        boolean nonEmpty = matchers.stream().anyMatch(m -> !m.matchesEmpty());
        if (!nonEmpty) {
            throw PromqlException.badData("vector selector must contain at least one non-empty matcher");
        }
        return new Expr.VectorSelector(metricName, matchers, 0, null);
    }
}
