package dev.nightjar.core.traces;

import java.util.Comparator;
import java.util.Objects;

/** A span name with its kind, as seen in one service. */
public record Operation(String name, SpanKind kind) {

    public static final Comparator<Operation> ORDER =
            Comparator.comparing(Operation::name).thenComparing(Operation::kind);

    public Operation {
        Objects.requireNonNull(name, "operation name");
        Objects.requireNonNull(kind, "operation kind");
    }
}
