package dev.nightjar.core.telemetry;

import dev.nightjar.core.TenantId;
import java.time.Instant;

/**
 * What one retention run removed for one tenant. {@code unitsDeleted} counts what the backend deletes as a
 * whole (partition directories for Lucene, records for the in-memory store).
 */
public record RetentionResult(TenantId tenant, Instant cutoff, long unitsDeleted) {}
