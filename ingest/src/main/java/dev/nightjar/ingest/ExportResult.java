package dev.nightjar.ingest;

/** What an export stored: accepted items are durable; rejected ones failed validation (see the message). */
public record ExportResult(long accepted, long rejected, String errorMessage) {}
