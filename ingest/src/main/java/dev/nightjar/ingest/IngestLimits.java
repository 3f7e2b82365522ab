package dev.nightjar.ingest;

/**
 * Caps on everything a client sends. Requests over a byte cap are refused whole (413 /
 * RESOURCE_EXHAUSTED); items over an item cap are rejected one by one and counted in {@code
 * partial_success}.
 *
 * @param maxCompressedBytes largest request body as sent (compressed or not)
 * @param maxDecompressedBytes largest request body after gzip decompression (decompression-bomb guard)
 * @param maxAttributes most attributes on one resource, scope, record, span, event or link
 * @param maxValueLength longest attribute string or bytes value (characters or bytes)
 * @param maxBodyLength longest log body (characters) or span name
 * @param maxEventsOrLinks most events and most links on one span
 * @param maxValueDepth deepest nesting of array and map values
 */
public record IngestLimits(
        int maxCompressedBytes,
        int maxDecompressedBytes,
        int maxAttributes,
        int maxValueLength,
        int maxBodyLength,
        int maxEventsOrLinks,
        int maxValueDepth) {

    public static final IngestLimits DEFAULTS =
            new IngestLimits(16 << 20, 64 << 20, 256, 64 * 1024, 256 * 1024, 1024, 8);

    public IngestLimits {
        if (maxCompressedBytes < 1024 || maxDecompressedBytes < maxCompressedBytes) {
            throw new IllegalArgumentException(
                    "body caps must be at least 1 KiB and the decompressed cap at least the compressed one");
        }
        if (maxAttributes < 1 || maxValueLength < 1 || maxBodyLength < 1 || maxEventsOrLinks < 0 || maxValueDepth < 1) {
            throw new IllegalArgumentException("item caps must be positive");
        }
    }
}
