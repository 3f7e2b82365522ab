package dev.nightjar.core.traces;

import dev.nightjar.core.TenantId;
import java.util.List;

/** Writes spans for one tenant. Thread-safe; same failure contract as {@link dev.nightjar.core.logs.LogWriter}. */
public interface SpanWriter {

    void write(TenantId tenant, List<Span> spans);
}
