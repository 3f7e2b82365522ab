package dev.nightjar.ingest.otlp;

/**
 * The protobuf wire format for {@link OtlpLogsDecoder}: one decode's position in the request bytes, and
 * the reading of tags, lengths, numbers and strings at it. Apart from the OTLP message shapes so that
 * those read as the schema they follow; any doubt about the bytes gives up ({@link #GIVE_UP}).
 */
abstract class ProtoWire {

    /** Thrown inside the decoder to give up; never leaves it. No stack trace: it is control flow. */
    static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    static final GiveUp GIVE_UP = new GiveUp();

    static final int LEN = 2;
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int I32 = 5;
    /** Far below protobuf's recursion limit (100 messages), so the generated parser would not refuse it. */
    private static final int MAX_NESTING = 48;

    final byte[] buf;
    private final ProtoStrings strings;
    int pos;
    private int nesting;

    ProtoWire(byte[] buf, ProtoStrings strings) {
        this.buf = buf;
        this.strings = strings;
    }

    final void checkEnd(int end) {
        if (pos != end) {
            throw GIVE_UP;
        }
    }

    final int tag() {
        long tag = varint();
        if (tag <= 7 || tag > Integer.MAX_VALUE) {
            throw GIVE_UP; // field number 0, or beyond protobuf's range
        }
        return (int) tag;
    }

    /** A length-delimited field's length, checked against what is left. */
    final int length() {
        long n = varint();
        if (n < 0 || n > buf.length - pos) {
            throw GIVE_UP;
        }
        return (int) n;
    }

    /** Enters an embedded message; returns where it ends. Pair with {@link #leave()}. */
    final int message() {
        int n = length();
        if (++nesting > MAX_NESTING) {
            throw GIVE_UP;
        }
        return pos + n;
    }

    final void leave() {
        nesting--;
    }

    final long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw GIVE_UP; // more than ten bytes: malformed
    }

    final long fixed64() {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 8;
        return v;
    }

    final int fixed32() {
        int v = (buf[pos] & 0xFF)
                | (buf[pos + 1] & 0xFF) << 8
                | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    final long bigEndian(int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[at + i] & 0xFFL);
        }
        return v;
    }

    /** A string field, valid UTF-8 (protobuf's rule for proto3 strings) or give up. */
    final String string() {
        int n = length();
        int at = pos;
        pos += n;
        return strings.string(buf, at, n);
    }
}
