package dev.nightjar.promql;

import static dev.nightjar.promql.ValueType.INSTANT_VECTOR;
import static dev.nightjar.promql.ValueType.RANGE_VECTOR;
import static dev.nightjar.promql.ValueType.SCALAR;
import static dev.nightjar.promql.ValueType.STRING;

import java.util.List;
import java.util.Locale;

/**
 * Prometheus 2.x functions with their signatures. {@code optional} trailing arguments may be left
 * out; a negative count means the last argument type repeats (label_join).
 */
public enum Function {
    ABS(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    ABSENT(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    ABSENT_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    ACOS(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    ACOSH(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    ASIN(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    ASINH(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    ATAN(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    ATANH(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    AVG_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    CEIL(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    CHANGES(INSTANT_VECTOR, 0, RANGE_VECTOR),
    CLAMP(INSTANT_VECTOR, 0, INSTANT_VECTOR, SCALAR, SCALAR),
    CLAMP_MAX(INSTANT_VECTOR, 0, INSTANT_VECTOR, SCALAR),
    CLAMP_MIN(INSTANT_VECTOR, 0, INSTANT_VECTOR, SCALAR),
    COS(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    COSH(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    COUNT_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    DAYS_IN_MONTH(INSTANT_VECTOR, 1, INSTANT_VECTOR),
    DAY_OF_MONTH(INSTANT_VECTOR, 1, INSTANT_VECTOR),
    DAY_OF_WEEK(INSTANT_VECTOR, 1, INSTANT_VECTOR),
    DAY_OF_YEAR(INSTANT_VECTOR, 1, INSTANT_VECTOR),
    DEG(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    DELTA(INSTANT_VECTOR, 0, RANGE_VECTOR),
    DERIV(INSTANT_VECTOR, 0, RANGE_VECTOR),
    EXP(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    FLOOR(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    HISTOGRAM_COUNT(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    HISTOGRAM_FRACTION(INSTANT_VECTOR, 0, SCALAR, SCALAR, INSTANT_VECTOR),
    HISTOGRAM_QUANTILE(INSTANT_VECTOR, 0, SCALAR, INSTANT_VECTOR),
    HISTOGRAM_SUM(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    HOLT_WINTERS(INSTANT_VECTOR, 0, RANGE_VECTOR, SCALAR, SCALAR),
    HOUR(INSTANT_VECTOR, 1, INSTANT_VECTOR),
    IDELTA(INSTANT_VECTOR, 0, RANGE_VECTOR),
    INCREASE(INSTANT_VECTOR, 0, RANGE_VECTOR),
    IRATE(INSTANT_VECTOR, 0, RANGE_VECTOR),
    LABEL_REPLACE(INSTANT_VECTOR, 0, INSTANT_VECTOR, STRING, STRING, STRING, STRING),
    LABEL_JOIN(INSTANT_VECTOR, -1, INSTANT_VECTOR, STRING, STRING, STRING),
    LAST_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    LN(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    LOG10(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    LOG2(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    MAX_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    MIN_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    MINUTE(INSTANT_VECTOR, 1, INSTANT_VECTOR),
    MONTH(INSTANT_VECTOR, 1, INSTANT_VECTOR),
    PI(SCALAR, 0),
    PREDICT_LINEAR(INSTANT_VECTOR, 0, RANGE_VECTOR, SCALAR),
    PRESENT_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    QUANTILE_OVER_TIME(INSTANT_VECTOR, 0, SCALAR, RANGE_VECTOR),
    RAD(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    RATE(INSTANT_VECTOR, 0, RANGE_VECTOR),
    RESETS(INSTANT_VECTOR, 0, RANGE_VECTOR),
    ROUND(INSTANT_VECTOR, 1, INSTANT_VECTOR, SCALAR),
    SCALAR_(SCALAR, 0, INSTANT_VECTOR),
    SGN(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    SIN(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    SINH(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    SORT(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    SORT_DESC(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    SQRT(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    STDDEV_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    STDVAR_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    SUM_OVER_TIME(INSTANT_VECTOR, 0, RANGE_VECTOR),
    TAN(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    TANH(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    TIME(SCALAR, 0),
    TIMESTAMP(INSTANT_VECTOR, 0, INSTANT_VECTOR),
    VECTOR(INSTANT_VECTOR, 0, SCALAR),
    YEAR(INSTANT_VECTOR, 1, INSTANT_VECTOR);

    private final ValueType returnType;
    private final int optional;
    private final List<ValueType> argTypes;

    Function(ValueType returnType, int optional, ValueType... argTypes) {
        this.returnType = returnType;
        this.optional = optional;
        this.argTypes = List.of(argTypes);
    }

    public ValueType returnType() {
        return returnType;
    }

    public List<ValueType> argTypes() {
        return argTypes;
    }

    public boolean variadic() {
        return optional < 0;
    }

    public int minArgs() {
        return optional < 0 ? argTypes.size() - 1 : argTypes.size() - optional;
    }

    public int maxArgs() {
        return optional < 0 ? Integer.MAX_VALUE : argTypes.size();
    }

    /** The PromQL name ({@code scalar} for {@link #SCALAR_}, which would clash with the type). */
    public String promqlName() {
        return this == SCALAR_ ? "scalar" : name().toLowerCase(Locale.ROOT);
    }

    static Function byName(String name) {
        for (Function f : values()) {
            if (f.promqlName().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
