package dev.nightjar.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** Nightjar's own ingest figures: items accepted and rejected by reason, bytes received, batch sizes. */
public final class IngestMetrics {
    private final MeterRegistry meters;

    public IngestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void accepted(String signal, long n) {
        if (n > 0) {
            meters.counter("nightjar.ingest.items.accepted", "signal", signal).increment(n);
        }
    }

    /** Reasons: invalid, malformed, too_large, unauthenticated, forbidden, overloaded, unsupported. */
    public void rejected(String signal, String reason, long n) {
        if (n > 0) {
            meters.counter("nightjar.ingest.items.rejected", "signal", signal, "reason", reason)
                    .increment(n);
        }
    }

    /** A whole request refused before its items were counted. */
    public void requestRejected(String signal, String transport, String reason) {
        meters.counter("nightjar.ingest.requests.rejected", "signal", signal, "transport", transport, "reason", reason)
                .increment();
    }

    public void bytes(String signal, String transport, long n) {
        Counter.builder("nightjar.ingest.bytes")
                .description("Request bytes received, as sent (compressed)")
                .tags("signal", signal, "transport", transport)
                .register(meters)
                .increment(n);
    }

    public void batch(String signal, long items) {
        DistributionSummary.builder("nightjar.ingest.batch.items")
                .description("Items per export request")
                .tags("signal", signal)
                .register(meters)
                .record(items);
    }
}
