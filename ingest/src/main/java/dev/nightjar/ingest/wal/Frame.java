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

    static int crc(int length, byte[] data, int offset, int count) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(data, offset, count);
        return (int) crc.getValue();
    }
}
