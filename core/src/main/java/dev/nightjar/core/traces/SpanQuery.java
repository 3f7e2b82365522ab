package dev.nightjar.core.traces;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.telemetry.AttributeFilter;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.core.telemetry.Limits;
import dev.nightjar.core.telemetry.NumericRangeFilter;
import dev.nightjar.core.telemetry.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds spans, newest start first, at most {@code limit}. Every non-null part must hold: start time in
 * the half-open {@code range}; {@code service} equals the resource's {@code service.name}; {@code
 * spanName} equals the name; {@code kind}, {@code status} equal; duration within {@code [minDuration,
 * maxDuration]} (inclusive); every exact filter and numeric range on resource or span attributes.
 */
public record SpanQuery(
        TimeRange range,
        String service,
        String spanName,
        SpanKind kind,
        StatusCode status,
        Duration minDuration,
        Duration maxDuration,
        List<AttributeFilter> filters,
        List<NumericRangeFilter> ranges,
        int limit) {

    public SpanQuery {
        Timestamps.checkQueryRange(range);
        checkName(service, "service");
        checkName(spanName, "span name");
        if (minDuration != null && minDuration.isNegative()) {
            throw new IllegalArgumentException("min duration is negative");
        }
        if (maxDuration != null && maxDuration.isNegative()) {
            throw new IllegalArgumentException("max duration is negative");
        }
        if (minDuration != null && maxDuration != null && minDuration.compareTo(maxDuration) > 0) {
            throw new IllegalArgumentException("min duration " + minDuration + " is above max " + maxDuration);
        }
        filters = List.copyOf(filters);
        ranges = List.copyOf(ranges);
        if (filters.size() + ranges.size() > Limits.MAX_FILTERS) {
            throw new IllegalArgumentException("more than " + Limits.MAX_FILTERS + " filters");
        }
        for (AttributeFilter f : filters) {
            if (f.field().scope() == FieldRef.Scope.INTRINSIC) {
                throw new IllegalArgumentException(
                        "span filters apply to resource or span attributes, not " + f.field());
            }
        }
        if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1.." + Limits.MAX_PAGE_SIZE);
        }
    }

    public static Builder builder(TimeRange range) {
        return new Builder(range);
    }

    public long minDurationNanos() {
        return minDuration == null ? 0 : minDuration.toNanos();
    }

    public long maxDurationNanos() {
        return maxDuration == null ? Long.MAX_VALUE : maxDuration.toNanos();
    }

    static void checkName(String name, String what) {
        if (name != null && (name.isEmpty() || name.length() > Limits.MAX_VALUE_LENGTH)) {
            throw new IllegalArgumentException(what + " must be 1.." + Limits.MAX_VALUE_LENGTH + " characters");
        }
    }

    public static final class Builder {
        private final TimeRange range;
        private String service;
        private String spanName;
        private SpanKind kind;
        private StatusCode status;
        private Duration minDuration;
        private Duration maxDuration;
        private final List<AttributeFilter> filters = new ArrayList<>();
        private final List<NumericRangeFilter> ranges = new ArrayList<>();
        private int limit = 100;

        private Builder(TimeRange range) {
            this.range = range;
        }

        public Builder service(String v) {
            service = v;
            return this;
        }

        public Builder spanName(String v) {
            spanName = v;
            return this;
        }

        public Builder kind(SpanKind v) {
            kind = v;
            return this;
        }

        public Builder status(StatusCode v) {
            status = v;
            return this;
        }

        public Builder minDuration(Duration v) {
            minDuration = v;
            return this;
        }

        public Builder maxDuration(Duration v) {
            maxDuration = v;
            return this;
        }

        public Builder filter(AttributeFilter f) {
            filters.add(Objects.requireNonNull(f, "filter"));
            return this;
        }

        public Builder range(FieldRef field, Double min, Double max) {
            ranges.add(new NumericRangeFilter(field, min, max));
            return this;
        }

        public Builder limit(int v) {
            limit = v;
            return this;
        }

        public SpanQuery build() {
            return new SpanQuery(
                    range, service, spanName, kind, status, minDuration, maxDuration, filters, ranges, limit);
        }
    }
}
