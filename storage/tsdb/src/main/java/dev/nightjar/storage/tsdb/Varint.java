package dev.nightjar.storage.tsdb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** LEB128 varints and zig-zag signed varints, as in protobuf. */
final class Varint {

    private Varint() {}

    static void write(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** Writes {@code value} at {@code out[at...]}; returns the position after it. */
    static int put(byte[] out, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** How many bytes {@link #write} spends on {@code value}. */
    static int size(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    static void writeSigned(ByteArrayOutputStream out, long value) {
        write(out, (value << 1) ^ (value >> 63));
    }

    static long read(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) {
                throw new CorruptChunkException("varint ends early");
            }
            byte b = in.get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptChunkException("varint too long");
    }

    static long readSigned(ByteBuffer in) {
        long raw = read(in);
        return (raw >>> 1) ^ -(raw & 1);
    }

    static int readInt(ByteBuffer in, int max) {
        long v = read(in);
        if (v < 0 || v > max) {
            throw new CorruptChunkException("value " + v + " out of range");
        }
        return (int) v;
    }
}
