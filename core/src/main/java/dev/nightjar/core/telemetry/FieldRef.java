package dev.nightjar.core.telemetry;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Names a field a filter or aggregation applies to: a resource attribute ({@code service.name},
 * {@code k8s.pod.name}), a record attribute ({@code http.method}), or an intrinsic field of a log
 * record ({@link #SEVERITY_TEXT}, {@link #TRACE_ID}, {@link #SPAN_ID}, {@link #SCOPE_NAME}).
 */
public record FieldRef(Scope scope, String key) {

    public static final String SEVERITY_TEXT = "severity_text";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    public static final String SCOPE_NAME = "scope.name";
    public static final Set<String> INTRINSICS = Set.of(SEVERITY_TEXT, TRACE_ID, SPAN_ID, SCOPE_NAME);

    public enum Scope {
        RESOURCE,
        ATTRIBUTE,
        INTRINSIC
    }

    public FieldRef {
        Objects.requireNonNull(scope, "field scope");
        Attributes.checkKey(key);
        if (key.length() > Limits.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("field key longer than " + Limits.MAX_KEY_LENGTH + " characters");
        }
        if (scope == Scope.INTRINSIC && !INTRINSICS.contains(key)) {
            throw new IllegalArgumentException("unknown intrinsic field '" + key + "', expected one of " + INTRINSICS);
        }
    }

    public static FieldRef resource(String key) {
        return new FieldRef(Scope.RESOURCE, key);
    }

    public static FieldRef attribute(String key) {
        return new FieldRef(Scope.ATTRIBUTE, key);
    }

    public static FieldRef intrinsic(String key) {
        return new FieldRef(Scope.INTRINSIC, key);
    }

    /**
     * Parses {@code resource.<key>}, {@code attribute.<key>} or an intrinsic name: the form a REST
     * API can take from a user. Anything else is an {@link IllegalArgumentException}.
     */
    public static FieldRef parse(String text) {
        Objects.requireNonNull(text, "field");
        if (text.startsWith("resource.")) {
            return resource(text.substring("resource.".length()));
        }
        if (text.startsWith("attribute.")) {
            return attribute(text.substring("attribute.".length()));
        }
        return intrinsic(text);
    }

    /** Values of trace and span ids compare in lower case, as their hex form is stored. */
    String normalize(String value) {
        return scope == Scope.INTRINSIC && (key.equals(TRACE_ID) || key.equals(SPAN_ID))
                ? value.toLowerCase(Locale.ROOT)
                : value;
    }

    @Override
    public String toString() {
        return switch (scope) {
            case RESOURCE -> "resource." + key;
            case ATTRIBUTE -> "attribute." + key;
            case INTRINSIC -> key;
        };
    }
}
