package dev.nightjar.sensors.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a DNS message (RFC 1035) the sensor uses: id, whether it is a response, the
 * response code, the first question, and the A/AAAA addresses of the answer section. Input is
 * untrusted and usually truncated to 512 bytes: every read is bounds-checked, compression
 * pointers may only point backwards and are followed a bounded number of times, and anything
 * malformed yields empty rather than an exception.
 */
public record DnsMessage(int id, boolean response, int rcode, String name, int type, List<InetAddress> addresses) {

    public static final int NOERROR = 0;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int REFUSED = 5;

    private static final int HEADER = 12;
    private static final int MAX_NAME = 253;
    private static final int MAX_POINTERS = 16;
    private static final int MAX_ANSWERS = 16;
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;

    public static Optional<DnsMessage> parse(byte[] p) {
        if (p == null || p.length < HEADER) {
            return Optional.empty();
        }
        int id = u16(p, 0);
        int flags = u16(p, 2);
        boolean response = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xf;
        int rcode = flags & 0xf;
        int questions = u16(p, 4);
        int answers = u16(p, 6);
        if (opcode != 0 || questions != 1) {
            return Optional.empty(); // standard queries ask exactly one question
        }
        StringBuilder name = new StringBuilder();
        int at = readName(p, HEADER, name);
        if (at < 0 || at + 4 > p.length) {
            return Optional.empty();
        }
        int type = u16(p, at);
        at += 4;
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; response && i < Math.min(answers, MAX_ANSWERS); i++) {
            at = readName(p, at, null);
            if (at < 0 || at + 10 > p.length) {
                break; // truncated: keep what was read
            }
            int rrType = u16(p, at);
            int rrClass = u16(p, at + 2);
            int length = u16(p, at + 8);
            at += 10;
            if (at + length > p.length) {
                break;
            }
            if (rrClass == CLASS_IN && ((rrType == TYPE_A && length == 4) || (rrType == TYPE_AAAA && length == 16))) {
                byte[] raw = new byte[length];
                System.arraycopy(p, at, raw, 0, length);
                try {
                    addresses.add(InetAddress.getByAddress(raw));
                } catch (UnknownHostException e) {
                    break; // unreachable for 4 and 16 bytes
                }
            }
            at += length;
        }
        String question = name.toString().toLowerCase(Locale.ROOT);
        return Optional.of(new DnsMessage(id, response, rcode, question, type, List.copyOf(addresses)));
    }

    /** Reads a possibly compressed name at {@code at}; returns the offset after it, or -1. */
    private static int readName(byte[] p, int at, StringBuilder out) {
        int end = -1;
        int pointers = 0;
        int pos = at;
        int length = 0;
        while (true) {
            if (pos >= p.length) {
                return -1;
            }
            int len = p[pos] & 0xff;
            if (len == 0) {
                return end >= 0 ? end : pos + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                if (pos + 1 >= p.length || ++pointers > MAX_POINTERS) {
                    return -1;
                }
                int target = ((len & 0x3f) << 8) | (p[pos + 1] & 0xff);
                if (target >= pos) {
                    return -1; // forward or self pointers could loop
                }
                if (end < 0) {
                    end = pos + 2;
                }
                pos = target;
                continue;
            }
            if ((len & 0xc0) != 0 || pos + 1 + len > p.length) {
                return -1;
            }
            length += len + 1;
            if (length > MAX_NAME + 1) {
                return -1;
            }
            if (out != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                for (int i = pos + 1; i <= pos + len; i++) {
                    char c = (char) (p[i] & 0xff);
                    // Names are shown as text: anything outside the hostname alphabet becomes '?'.
                    out.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? c : '?');
                }
            }
            pos += len + 1;
        }
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    /** The outcome label of a response code. */
    public static String outcome(int rcode) {
        return switch (rcode) {
            case NOERROR -> "ok";
            case SERVFAIL -> "servfail";
            case NXDOMAIN -> "nxdomain";
            case REFUSED -> "refused";
            default -> "error";
        };
    }
}
