package dev.nightjar.ingest.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one record: magic, payload length, CRC-32C over length and payload, payload. The
 * magic lets a reader find the next record after a corrupted one instead of losing the segment's rest.
 */
final class Frame {
    static final int MAGIC = 0x4E4A574C; // "NJWL"
    static final int HEADER = 12;

    private Frame() {}

    static ByteBuffer encode(byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length);
        buf.putInt(MAGIC).putInt(payload.length).putInt(crc(payload.length, payload, 0, payload.length));
        buf.put(payload).flip();
        return buf;
    }

    /**
     * The header of a frame whose payload is {@code head} followed by {@code body}, so the two parts can be
     * written as they are (a gathering write) instead of first being copied into one array.
     */
    static ByteBuffer header(byte[] head, byte[] body) {
        int length = head.length + body.length;
        CRC32C crc = start(length);
        crc.update(head, 0, head.length);
        crc.update(body, 0, body.length);
        ByteBuffer buf = ByteBuffer.allocate(HEADER);
        buf.putInt(MAGIC).putInt(length).putInt((int) crc.getValue()).flip();
        return buf;
    }

    static int crc(int length, byte[] data, int offset, int count) {
        CRC32C crc = start(length);
        crc.update(data, offset, count);
        return (int) crc.getValue();
    }

    private static CRC32C start(int length) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        return crc;
    }
}
