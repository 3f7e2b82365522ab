package dev.nightjar.storage.lucene;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteWriter} wrote, bounds-checked, from a slice of an array. */
final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    ByteReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    int b() {
        check(1);
        return buf[pos++] & 0xFF;
    }

    long fixed64() {
        check(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    long vlong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = b();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("corrupt varint");
    }

    long zlong() {
        long v = vlong();
        return (v >>> 1) ^ -(v & 1);
    }

    byte[] bytes(int n) {
        check(n);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    String str() {
        long header = vlong();
        int n = (int) (header >>> 1);
        if ((header & 1) == 0) {
            check(n);
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
        check(n * 2);
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = (char) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
            pos += 2;
        }
        return new String(chars);
    }

    /** Where the next read starts (an offset into the array). */
    int position() {
        return pos;
    }

    /** Moves past {@code n} bytes. */
    void skip(int n) {
        check(n);
        pos += n;
    }

    /** Moves past a string written by {@link ByteWriter#str}, without decoding it. */
    void skipStr() {
        long header = vlong();
        long n = header >>> 1;
        skip(Math.toIntExact((header & 1) == 0 ? n : n * 2));
    }

    private void check(int n) {
        if (n < 0 || pos + n > end) {
            throw new IllegalStateException("truncated record");
        }
    }
}
