package dev.nightjar.storage.lucene;

import java.nio.charset.StandardCharsets;
import org.apache.lucene.util.BytesRef;

/** Appends the binary forms of stored records to a growing array; lossless for any Java string. */
final class ByteWriter {
    private byte[] buf;
    private int len;

    ByteWriter(int capacity) {
        buf = new byte[capacity];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    void b(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    void bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    void fixed64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (56 - 8 * i));
        }
    }

    void vlong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void zlong(long v) {
        vlong((v << 1) ^ (v >> 63));
    }

    /** UTF-8 when the string is well-formed (length*2), else raw UTF-16 (length*2+1). */
    void str(String s) {
        // ASCII (nearly every name, key and value) is its own UTF-8: written in place, without the
        // well-formedness scan and the intermediate array of getBytes.
        int n = s.length();
        ensure(10 + n);
        int start = len;
        vlong((long) n << 1);
        int ascii = 0;
        for (; ascii < n; ascii++) {
            char c = s.charAt(ascii);
            if (c >= 0x80) {
                break;
            }
            buf[len++] = (byte) c;
        }
        if (ascii == n) {
            return;
        }
        len = start;
        if (wellFormed(s)) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            vlong((long) utf8.length << 1);
            bytes(utf8, 0, utf8.length);
        } else {
            vlong(((long) s.length() << 1) | 1);
            ensure(s.length() * 2);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                buf[len++] = (byte) (c >>> 8);
                buf[len++] = (byte) c;
            }
        }
    }

    byte[] toArray() {
        return java.util.Arrays.copyOf(buf, len);
    }

    BytesRef toBytesRef() {
        return new BytesRef(buf, 0, len);
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return true;
    }
}
