package dev.nightjar.storage.tsdb;

import dev.nightjar.core.TenantId;

/**
 * A torn or corrupt WAL tail found at open and cut off. What was cut was never acknowledged (an
 * append returns only after its record is fsynced whole), unless the disk itself lost data.
 */
public record WalRepair(
        TenantId tenant, String segment, long offset, long droppedBytes, int droppedSegments, String reason) {}
