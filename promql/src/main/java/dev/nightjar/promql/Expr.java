package dev.nightjar.promql;

import dev.nightjar.core.metrics.Matcher;
import java.util.List;

/** The typed PromQL syntax tree. Times are milliseconds; a null {@code at} means "no @ modifier". */
public sealed interface Expr {

    ValueType type();

    record NumberLiteral(double value) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }
    }

    record StringLiteral(String value) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    /** An {@code @} modifier: a fixed time, or the query's start or end. */
    record At(Kind kind, long timeMs) {
        public enum Kind {
            TIME,
            START,
            END
        }
    }

    record VectorSelector(String metricName, List<Matcher> matchers, long offsetMs, At at) implements Expr {
        public VectorSelector {
            matchers = List.copyOf(matchers);
        }

        @Override
        public ValueType type() {
            return ValueType.INSTANT_VECTOR;
        }

        // Identity semantics: equal-looking selectors at two places of one query are two nodes.
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    record MatrixSelector(VectorSelector selector, long rangeMs) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.RANGE_VECTOR;
        }
    }

    /** {@code expr[range:step]}; a step of 0 means the engine's default evaluation interval. */
    record Subquery(Expr expr, long rangeMs, long stepMs, long offsetMs, At at) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.RANGE_VECTOR;
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    record Call(Function function, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        @Override
        public ValueType type() {
            return function.returnType();
        }
    }

    record Aggregate(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without) implements Expr {
        public Aggregate {
            grouping = List.copyOf(grouping);
        }

        @Override
        public ValueType type() {
            return ValueType.INSTANT_VECTOR;
        }
    }

    /** How two vectors' samples are paired. */
    record VectorMatching(Cardinality cardinality, List<String> labels, boolean on, List<String> include) {
        public enum Cardinality {
            ONE_TO_ONE,
            MANY_TO_ONE,
            ONE_TO_MANY,
            MANY_TO_MANY
        }

        public VectorMatching {
            labels = List.copyOf(labels);
            include = List.copyOf(include);
        }
    }

    record Binary(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) implements Expr {
        @Override
        public ValueType type() {
            return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
                    ? ValueType.SCALAR
                    : ValueType.INSTANT_VECTOR;
        }
    }

    record Unary(boolean negate, Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }

    record Paren(Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }
}
