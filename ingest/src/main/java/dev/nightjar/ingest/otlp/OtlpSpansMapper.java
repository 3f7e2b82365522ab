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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns an OTLP traces export into the store's spans, rejecting invalid spans one by one. */
public final class OtlpSpansMapper {
    private final IngestLimits limits;
    private final OtlpValues values;

    public OtlpSpansMapper(IngestLimits limits) {
        this.limits = limits;
        this.values = new OtlpValues(limits);
    }

    /**
     * Resources mapped lately, by their OTLP form. Every export carries its resources again (an SDK the
     * same one each time, a Collector the same few hundred), and mapping one builds every attribute anew;
     * a hit also hands the store the same object, whose fingerprint it remembers by equality that then
     * starts with identity. Bounded in entries and in each resource's size, and emptied when full, so a
     * client sending a new resource with every export costs one lookup more, never memory.
     */
    private final Map<io.opentelemetry.proto.resource.v1.Resource, Resource> resources = new ConcurrentHashMap<>();

    static final int MAX_CACHED_RESOURCES = 1024;
    static final int MAX_CACHED_RESOURCE_BYTES = 4096;

    Resource resource(io.opentelemetry.proto.resource.v1.Resource r) {
        Resource mapped = resources.get(r);
        if (mapped != null) {
            return mapped;
        }
        mapped = values.resource(r); // invalid ones throw and are never cached
        // sized only on a miss: a hit was small when it was cached (sizing walks the whole message)
        if (r.getSerializedSize() <= MAX_CACHED_RESOURCE_BYTES) {
            if (resources.size() >= MAX_CACHED_RESOURCES) {
                resources.clear();
            }
            resources.put(r, mapped);
        }
        return mapped;
    }

    int cachedResources() {
        return resources.size();
    }

    public Mapped<Span> map(ExportTraceServiceRequest request) {
        List<Span> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Resource resource;
            try {
                resource = resource(rs.getResource());
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
