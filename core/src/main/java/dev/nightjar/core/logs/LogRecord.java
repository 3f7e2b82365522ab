package dev.nightjar.core.logs;

import dev.nightjar.core.telemetry.AttributeValue;
import dev.nightjar.core.telemetry.Attributes;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.telemetry.SpanId;
import dev.nightjar.core.telemetry.TraceId;
import java.util.Objects;

/**
 * One OTLP log record with its resource and scope. Times are Unix-epoch nanoseconds; {@code 0} means
 * unset, as in OTLP. {@code traceId} and {@code spanId} are null when the record is not tied to a span.
 */
public record LogRecord(
        long timeUnixNano,
        long observedTimeUnixNano,
        int severityNumber,
        String severityText,
        AttributeValue body,
        Attributes attributes,
        TraceId traceId,
        SpanId spanId,
        int flags,
        Resource resource,
        InstrumentationScope scope) {

    public LogRecord {
        if (timeUnixNano < 0 || observedTimeUnixNano < 0) {
            throw new IllegalArgumentException("log record time is beyond 2262");
        }
        if (timeUnixNano == 0 && observedTimeUnixNano == 0) {
            throw new IllegalArgumentException("log record has neither time nor observed time");
        }
        SeverityLevel.fromNumber(severityNumber);
        Objects.requireNonNull(severityText, "severity text");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(scope, "scope");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The time the record is sorted and filtered by: {@code timeUnixNano}, or the observed time if unset. */
    public long effectiveTimeUnixNano() {
        return timeUnixNano != 0 ? timeUnixNano : observedTimeUnixNano;
    }

    public SeverityLevel severityLevel() {
        return SeverityLevel.fromNumber(severityNumber);
    }

    /** The text full-text search sees: a string body as is, other bodies in their text form. */
    public String bodyText() {
        return body.asText();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeUnixNano = timeUnixNano;
        b.observedTimeUnixNano = observedTimeUnixNano;
        b.severityNumber = severityNumber;
        b.severityText = severityText;
        b.body = body;
        b.attributes = attributes;
        b.traceId = traceId;
        b.spanId = spanId;
        b.flags = flags;
        b.resource = resource;
        b.scope = scope;
        return b;
    }

    public static final class Builder {
        private long timeUnixNano;
        private long observedTimeUnixNano;
        private int severityNumber;
        private String severityText = "";
        private AttributeValue body = AttributeValue.of("");
        private Attributes attributes = Attributes.EMPTY;
        private TraceId traceId;
        private SpanId spanId;
        private int flags;
        private Resource resource = Resource.EMPTY;
        private InstrumentationScope scope = InstrumentationScope.EMPTY;

        private Builder() {}

        public Builder timeUnixNano(long v) {
            timeUnixNano = v;
            return this;
        }

        public Builder observedTimeUnixNano(long v) {
            observedTimeUnixNano = v;
            return this;
        }

        /** Sets the number and, unless set explicitly later, the text ("ERROR" for 17). */
        public Builder severity(SeverityLevel level) {
            severityNumber = level.lowestNumber();
            severityText = level == SeverityLevel.UNSPECIFIED ? "" : level.name();
            return this;
        }

        public Builder severityNumber(int v) {
            severityNumber = v;
            return this;
        }

        public Builder severityText(String v) {
            severityText = v;
            return this;
        }

        public Builder body(String v) {
            body = AttributeValue.of(v);
            return this;
        }

        public Builder body(AttributeValue v) {
            body = v;
            return this;
        }

        public Builder attributes(Attributes v) {
            attributes = v;
            return this;
        }

        public Builder traceId(TraceId v) {
            traceId = v;
            return this;
        }

        public Builder spanId(SpanId v) {
            spanId = v;
            return this;
        }

        public Builder flags(int v) {
            flags = v;
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

        public LogRecord build() {
            return new LogRecord(
                    timeUnixNano,
                    observedTimeUnixNano,
                    severityNumber,
                    severityText,
                    body,
                    attributes,
                    traceId,
                    spanId,
                    flags,
                    resource,
                    scope);
        }
    }
}
