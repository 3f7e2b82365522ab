package dev.nightjar.ingest.otlp;

import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.InstrumentationScope;
import dev.nightjar.core.telemetry.Resource;
import dev.nightjar.ingest.IngestLimits;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;

/** Turns an OTLP logs export into the store's records, rejecting invalid records one by one. */
public final class OtlpLogsMapper {
    private final IngestLimits limits;
    private final OtlpValues values;

    public OtlpLogsMapper(IngestLimits limits) {
        this.limits = limits;
        this.values = new OtlpValues(limits);
    }

    /**
     * @param receivedAtNanos stands in as observed time for records that carry neither time nor observed
     *     time; it is stored with the request in the WAL so a replay maps the request identically
     */
    public Mapped<LogRecord> map(ExportLogsServiceRequest request, long receivedAtNanos) {
        List<LogRecord> out = new ArrayList<>();
        long rejected = 0;
        String firstError = "";
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Resource resource;
            try {
                resource = values.resource(rl.getResource());
            } catch (InvalidItemException | IllegalArgumentException e) {
                long n = rl.getScopeLogsList().stream()
                        .mapToLong(ScopeLogs::getLogRecordsCount)
                        .sum();
                rejected += n;
                firstError = firstError.isEmpty() && n > 0 ? e.getMessage() : firstError;
                continue;
            }
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                InstrumentationScope scope;
                try {
                    scope = values.scope(sl.getScope());
                } catch (InvalidItemException | IllegalArgumentException e) {
                    rejected += sl.getLogRecordsCount();
                    firstError = firstError.isEmpty() && sl.getLogRecordsCount() > 0 ? e.getMessage() : firstError;
                    continue;
                }
                for (io.opentelemetry.proto.logs.v1.LogRecord r : sl.getLogRecordsList()) {
                    try {
                        out.add(record(r, resource, scope, receivedAtNanos));
                    } catch (InvalidItemException | IllegalArgumentException e) {
                        rejected++;
                        firstError = firstError.isEmpty() ? "log record: " + e.getMessage() : firstError;
                    }
                }
            }
        }
        return new Mapped<>(out, rejected, firstError);
    }

    private LogRecord record(
            io.opentelemetry.proto.logs.v1.LogRecord r,
            Resource resource,
            InstrumentationScope scope,
            long receivedAtNanos) {
        long time = OtlpValues.time(r.getTimeUnixNano(), "time_unix_nano");
        long observed = OtlpValues.time(r.getObservedTimeUnixNano(), "observed_time_unix_nano");
        if (time == 0 && observed == 0) {
            observed = receivedAtNanos;
        }
        var body = values.value(r.getBody(), 0, "body");
        if (body.asText().length() > limits.maxBodyLength()) {
            throw new InvalidItemException(
                    "body is longer than the limit of " + limits.maxBodyLength() + " characters");
        }
        if (r.getSeverityText().length() > limits.maxValueLength()) {
            throw new InvalidItemException("severity text is too long");
        }
        return new LogRecord(
                time,
                observed,
                r.getSeverityNumberValue(),
                r.getSeverityText(),
                body,
                values.attributes(r.getAttributesList(), "log record"),
                OtlpValues.optionalTraceId(r.getTraceId(), "log record"),
                OtlpValues.optionalSpanId(r.getSpanId(), "log record"),
                r.getFlags(),
                resource,
                scope);
    }
}
