package dev.nightjar.promql;

import java.util.Locale;

/** The aggregation operators; some take a parameter. */
public enum AggregateOp {
    SUM(null),
    AVG(null),
    COUNT(null),
    MIN(null),
    MAX(null),
    GROUP(null),
    STDDEV(null),
    STDVAR(null),
    TOPK(ValueType.SCALAR),
    BOTTOMK(ValueType.SCALAR),
    QUANTILE(ValueType.SCALAR),
    COUNT_VALUES(ValueType.STRING);

    private final ValueType paramType;

    AggregateOp(ValueType paramType) {
        this.paramType = paramType;
    }

    /** The parameter's type, or null when the operator takes none. */
    public ValueType paramType() {
        return paramType;
    }

    static AggregateOp byName(String name) {
        for (AggregateOp op : values()) {
            if (op.name().toLowerCase(Locale.ROOT).equals(name)) {
                return op;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
