package dev.nightjar.ingest.otlp;

import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.core.traces.Span;
import dev.nightjar.core.traces.SpanEvent;
import dev.nightjar.core.traces.SpanKind;
import dev.nightjar.core.traces.SpanLink;
import dev.nightjar.core.traces.SpanStatus;
import dev.nightjar.core.traces.StatusCode;
import dev.nightjar.ingest.IngestLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;

/** Turns an OTLP traces export into the store's spans, rejecting invalid spans one by one. */
public final class OtlpSpansMapper {
    private final IngestLimits limits;
    private final OtlpValues values;

    public OtlpSpansMapper(IngestLimits limits) {
        this.limits = limits;
        this.values = new OtlpValues(limits);
    }

    public Mapped<Span> map(ExportTraceServiceRequest request) {
        List<Span> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Resource resource;
            try {
                resource = values.resource(rs.getResource());
            } catch (InvalidItemException | IllegalArgumentException e) {
                long n = rs.getScopeSpansList().stream()
                        .mapToLong(ScopeSpans::getSpansCount)
                        .sum();
                rejected += n;
                firstError = firstError.isEmpty() && n > 0 ? e.getMessage() : firstError;
                continue;
            }
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                InstrumentationScope scope;
                try {
                    scope = values.scope(ss.getScope());
                } catch (InvalidItemException | IllegalArgumentException e) {
                    rejected += ss.getSpansCount();
                    firstError = firstError.isEmpty() && ss.getSpansCount() > 0 ? e.getMessage() : firstError;
                    continue;
                }
                for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
                    try {
                        out.add(span(s, resource, scope));
                    } catch (InvalidItemException | IllegalArgumentException e) {
                        rejected++;
                        firstError = firstError.isEmpty() ? "span: " + e.getMessage() : firstError;
                    }
                }
            }
        }
        return new Mapped<>(out, rejected, firstError);
    }

    private Span span(io.opentelemetry.proto.trace.v1.Span s, Resource resource, InstrumentationScope scope) {
        if (s.getName().length() > limits.maxBodyLength()) {
            throw new InvalidItemException("span name is longer than " + limits.maxBodyLength() + " characters");
        }
        if (s.getTraceState().length() > limits.maxValueLength()) {
            throw new InvalidItemException("trace state is too long");
        }
        if (s.getEventsCount() > limits.maxEventsOrLinks() || s.getLinksCount() > limits.maxEventsOrLinks()) {
            throw new InvalidItemException("span has more than " + limits.maxEventsOrLinks() + " events or links");
        }
        // most spans have neither events nor links: no list to build and copy for them
        List<SpanEvent> events = s.getEventsCount() == 0 ? List.of() : new ArrayList<>(s.getEventsCount());
        for (var e : s.getEventsList()) {
            if (e.getName().length() > limits.maxValueLength()) {
                throw new InvalidItemException("event name is too long");
            }
            events.add(new SpanEvent(
                    OtlpValues.time(e.getTimeUnixNano(), "event time"),
                    e.getName(),
                    values.attributes(e.getAttributesList(), "span event")));
        }
        List<SpanLink> links = s.getLinksCount() == 0 ? List.of() : new ArrayList<>(s.getLinksCount());
        for (var l : s.getLinksList()) {
            if (l.getTraceState().length() > limits.maxValueLength()) {
                throw new InvalidItemException("link trace state is too long");
            }
            links.add(new SpanLink(
                    OtlpValues.requiredTraceId(l.getTraceId(), "span link"),
                    OtlpValues.requiredSpanId(l.getSpanId(), "span link"),
                    l.getTraceState(),
                    values.attributes(l.getAttributesList(), "span link")));
        }
        var status = s.getStatus();
        if (status.getMessage().length() > limits.maxValueLength()) {
            throw new InvalidItemException("status message is too long");
        }
        return new Span(
                OtlpValues.requiredTraceId(s.getTraceId(), "span"),
                OtlpValues.requiredSpanId(s.getSpanId(), "span"),
                s.getTraceState(),
                OtlpValues.optionalSpanId(s.getParentSpanId(), "span parent"),
                s.getFlags(),
                s.getName(),
                SpanKind.fromNumber(s.getKindValue()),
                OtlpValues.time(s.getStartTimeUnixNano(), "start time"),
                OtlpValues.time(s.getEndTimeUnixNano(), "end time"),
                values.attributes(s.getAttributesList(), "span"),
                events,
                links,
                new SpanStatus(StatusCode.fromNumber(status.getCodeValue()), status.getMessage()),
                resource,
                scope);
    }
}
