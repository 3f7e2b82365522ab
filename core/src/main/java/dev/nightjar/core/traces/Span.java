package dev.nightjar.core.traces;

import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.util.List;
import java.util.Objects;

/**
 * One OTLP span with its resource and scope. Times are Unix-epoch nanoseconds. {@code parentSpanId} is
 * null for a root span.
 */
public record Span(
        TraceId traceId,
        SpanId spanId,
        String traceState,
        SpanId parentSpanId,
        int flags,
        String name,
        SpanKind kind,
        long startTimeUnixNano,
        long endTimeUnixNano,
        Attributes attributes,
        List<SpanEvent> events,
        List<SpanLink> links,
        SpanStatus status,
        Resource resource,
        InstrumentationScope scope) {

    public Span {
        Objects.requireNonNull(traceId, "trace id");
        Objects.requireNonNull(spanId, "span id");
        Objects.requireNonNull(traceState, "trace state");
        Objects.requireNonNull(name, "span name");
        Objects.requireNonNull(kind, "span kind");
        if (startTimeUnixNano <= 0 || endTimeUnixNano < 0) {
            throw new IllegalArgumentException("span start time must be set and before 2262");
        }
        Objects.requireNonNull(attributes, "attributes");
        events = List.copyOf(events);
        links = List.copyOf(links);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(scope, "scope");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** End minus start, or zero when the end is missing or before the start. */
    public long durationNanos() {
        return Math.max(0, endTimeUnixNano - startTimeUnixNano);
    }

    public String serviceName() {
        return resource.serviceName();
    }

    /**
     * Whether the span is where a request enters its service: a SERVER or CONSUMER span, or a root span.
     * RED figures count entry spans only, so a request is not counted once per internal step.
     */
    public boolean isEntry() {
        return kind == SpanKind.SERVER || kind == SpanKind.CONSUMER || parentSpanId == null;
    }

    public boolean isError() {
        return status.code() == StatusCode.ERROR;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.traceId = traceId;
        b.spanId = spanId;
        b.traceState = traceState;
        b.parentSpanId = parentSpanId;
        b.flags = flags;
        b.name = name;
        b.kind = kind;
        b.startTimeUnixNano = startTimeUnixNano;
        b.endTimeUnixNano = endTimeUnixNano;
        b.attributes = attributes;
        b.events = events;
        b.links = links;
        b.status = status;
        b.resource = resource;
        b.scope = scope;
        return b;
    }

    public static final class Builder {
        private TraceId traceId;
        private SpanId spanId;
        private String traceState = "";
        private SpanId parentSpanId;
        private int flags;
        private String name = "";
        private SpanKind kind = SpanKind.INTERNAL;
        private long startTimeUnixNano;
        private long endTimeUnixNano;
        private Attributes attributes = Attributes.EMPTY;
        private List<SpanEvent> events = List.of();
        private List<SpanLink> links = List.of();
        private SpanStatus status = SpanStatus.UNSET;
        private Resource resource = Resource.EMPTY;
        private InstrumentationScope scope = InstrumentationScope.EMPTY;

        private Builder() {}

        public Builder traceId(TraceId v) {
            traceId = v;
            return this;
        }

        public Builder spanId(SpanId v) {
            spanId = v;
            return this;
        }

        public Builder traceState(String v) {
            traceState = v;
            return this;
        }

        public Builder parentSpanId(SpanId v) {
            parentSpanId = v;
            return this;
        }

        public Builder flags(int v) {
            flags = v;
            return this;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder kind(SpanKind v) {
            kind = v;
            return this;
        }

        public Builder startTimeUnixNano(long v) {
            startTimeUnixNano = v;
            return this;
        }

        public Builder endTimeUnixNano(long v) {
            endTimeUnixNano = v;
            return this;
        }

        public Builder attributes(Attributes v) {
            attributes = v;
            return this;
        }

        public Builder events(List<SpanEvent> v) {
            events = v;
            return this;
        }

        public Builder links(List<SpanLink> v) {
            links = v;
            return this;
        }

        public Builder status(SpanStatus v) {
            status = v;
            return this;
        }

        public Builder resource(Resource v) {
            resource = v;
            return this;
        }

        public Builder scope(InstrumentationScope v) {
            scope = v;
            return this;
        }

        public Span build() {
            return new Span(
                    traceId,
                    spanId,
                    traceState,
                    parentSpanId,
                    flags,
                    name,
                    kind,
                    startTimeUnixNano,
                    endTimeUnixNano,
                    attributes,
                    events,
                    links,
                    status,
                    resource,
                    scope);
        }
    }
}
