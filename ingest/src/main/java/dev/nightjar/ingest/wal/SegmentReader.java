package dev.nightjar.ingest.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the records of one segment, skipping corrupted ones. A record whose checksum fails is skipped by
 * searching for the next valid frame; bytes after the last valid frame are a torn tail and are counted as
 * truncated.
 */
final class SegmentReader {
    private final int maxRecordBytes;
    long records;
    long corrupted;
    long truncatedBytes;

    SegmentReader(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Reads the segment; returns the end offset of its last valid record. */
    long read(Path segment, Consumer<byte[]> sink) throws IOException {
        byte[] data = Files.readAllBytes(segment);
        ByteBuffer buf = ByteBuffer.wrap(data);
        int pos = 0;
        long validEnd = 0;
        while (pos < data.length) {
            int end = frameEnd(data, buf, pos);
            if (end > 0) {
                byte[] payload = new byte[end - pos - Frame.HEADER];
                System.arraycopy(data, pos + Frame.HEADER, payload, 0, payload.length);
                sink.accept(payload);
                records++;
                pos = end;
                validEnd = end;
                continue;
            }
            int next = nextValidFrame(data, buf, pos + 1);
            if (next < 0) {
                truncatedBytes += data.length - pos;
                break;
            }
            corrupted++;
            pos = next;
        }
        return validEnd;
    }

    /** The end of a valid frame starting at {@code pos}, or -1. */
    private int frameEnd(byte[] data, ByteBuffer buf, int pos) {
        if (data.length - pos < Frame.HEADER || buf.getInt(pos) != Frame.MAGIC) {
            return -1;
        }
        int length = buf.getInt(pos + 4);
        if (length < 0 || length > maxRecordBytes || length > data.length - pos - Frame.HEADER) {
            return -1;
        }
        int crc = buf.getInt(pos + 8);
        if (Frame.crc(length, data, pos + Frame.HEADER, length) != crc) {
            return -1;
        }
        return pos + Frame.HEADER + length;
    }

    private int nextValidFrame(byte[] data, ByteBuffer buf, int from) {
        for (int p = from; p + Frame.HEADER <= data.length; p++) {
            if (data[p] == (byte) (Frame.MAGIC >>> 24) && frameEnd(data, buf, p) > 0) {
                return p;
            }
        }
        return -1;
    }
}
