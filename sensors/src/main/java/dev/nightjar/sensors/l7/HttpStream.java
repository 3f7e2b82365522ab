package dev.nightjar.sensors.l7;

import dev.nightjar.sensors.l7.ProtocolParser.Request;
import dev.nightjar.sensors.l7.ProtocolParser.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * One direction (requests or responses) of an HTTP/1.x connection that pipelines, parsed message by
 * message from the chunks the kernel copies (bpf/src/l7.h, L7_HTTP_STREAM): every send or receive
 * of such a socket arrives as an event with its first bytes (up to 4096) and its whole length. A
 * message's end comes from its head ({@code Content-Length}, chunked encoding, a status without a
 * body), so a body that continues into later chunks is skipped by length without being seen.
 *
 * <p>When the next message starts where no bytes were copied (past a chunk's capture) or cannot be
 * found (a chunked body that spans chunks, a head cut by the capture, a body that runs until the
 * close), the stream is {@linkplain #lost() lost}: the messages hidden there are not seen, and
 * parsing resumes with the first chunk that starts with a message. Payloads are untrusted: nothing
 * is allocated in proportion to a declared length.
 */
public final class HttpStream {

    /** A message found in a chunk: its start line, and its whole size (head and body), -1 when unknown. */
    public record Message<T>(T value, long bytes) {}

    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_LINE = 8192;
    /** The most of a message kept from one chunk for the next (a head, a chunked body cut by a read). */
    private static final int MAX_PARTIAL = 16_384;
    /** A body whose end lies past the bytes at hand. */
    private static final long INCOMPLETE = -2;

    /** The start of a message cut by the end of the last chunk, all of which was copied. */
    private byte[] partial;

    /** Bytes of a message that started in an earlier chunk and go on in the next ones. */
    private long skip;

    private boolean lost;

    /** A chunk was lost (the kernel dropped its event): wait for a chunk that starts a message. */
    public void lose() {
        skip = 0;
        partial = null;
        lost = true;
    }

    /** Whether the last chunk hid messages, or the stream waits for a chunk that starts one. */
    public boolean lost() {
        return lost;
    }

    /** The requests that start in a client's send or a server's receive. */
    public List<Message<Request>> requests(byte[] captured, long size) {
        return parse(captured, size, false, i -> false);
    }

    /**
     * The final responses that start in a server's send or a client's receive; interim ones
     * ({@code 100 Continue}) are passed over. {@code bodiless} tells, by index in the returned list,
     * a response that has no body whatever its head says: one to a HEAD request.
     */
    public List<Message<Response>> responses(byte[] captured, long size, IntPredicate bodiless) {
        return parse(captured, size, true, bodiless);
    }

    @SuppressWarnings("unchecked")
    private <T> List<Message<T>> parse(byte[] captured, long chunkSize, boolean responses, IntPredicate bodiless) {
        List<Message<T>> out = new ArrayList<>();
        byte[] c = captured;
        long size = chunkSize;
        if (partial != null) {
            c = new byte[partial.length + captured.length];
            System.arraycopy(partial, 0, c, 0, partial.length);
            System.arraycopy(captured, 0, c, partial.length, captured.length);
            size += partial.length;
            partial = null;
        }
        long at = 0;
        if (skip > 0) {
            if (skip >= size) {
                skip -= size;
                return out;
            }
            at = skip;
            skip = 0;
        }
        while (at < size) {
            if (at >= c.length) {
                lost = true; // the next message lies past the capture
                return out;
            }
            int start = (int) at;
            int lineEnd = indexOf(c, start, CRLF);
            int headEnd = lineEnd < 0 ? -1 : indexOf(c, start, HEAD_END);
            long body = headEnd < 0 ? INCOMPLETE : 0;
            Optional<?> parsed = Optional.empty();
            int status = 0;
            if (lineEnd >= 0) {
                String line = new String(c, start, Math.min(lineEnd - start, MAX_LINE), StandardCharsets.ISO_8859_1);
                parsed = responses ? HttpParser.statusLine(line, -1) : HttpParser.requestLine(line);
                if (parsed.isEmpty()) {
                    lost = true; // not at a message's start (a resumed stream mid-message)
                    return out;
                }
                status = responses ? Integer.parseInt(((Response) parsed.get()).status()) : 0;
            }
            boolean interim = status >= 100 && status < 200 && status != 101;
            if (headEnd >= 0
                    && !interim
                    && status != 101
                    && status != 204
                    && status != 304
                    && !(responses && bodiless.test(out.size()))) {
                body = bodyLength(c, start, headEnd, responses);
            }
            if (body == INCOMPLETE && c.length == size && size - at <= MAX_PARTIAL) {
                // A message cut by the end of this send or receive, all of it seen: kept for the next.
                partial = java.util.Arrays.copyOfRange(c, start, c.length);
                return out;
            }
            if (body < 0) {
                // Its end is unknown: the head or a chunked body goes on past the capture, or the
                // body runs until the close.
                if (parsed.isPresent() && !interim) {
                    out.add(new Message<>((T) parsed.get(), -1));
                }
                lost = true;
                return out;
            }
            lost = false;
            long end = headEnd + HEAD_END.length + body;
            if (!interim) {
                Object value = parsed.get();
                if (responses) {
                    Response r = (Response) value;
                    value = new Response(r.status(), r.error(), body);
                }
                out.add(new Message<>((T) value, end - at));
            }
            if (end > size) {
                skip = end - size;
                return out;
            }
            at = end;
        }
        return out;
    }

    /**
     * The body's length from the head at c[start..headEnd): {@code Content-Length}, or the chunks of
     * a chunked body; 0 for a request with neither; {@link #INCOMPLETE} when a chunked body goes on
     * past c; -1 when it cannot be known (a response that runs until the close, a malformed length).
     */
    private static long bodyLength(byte[] c, int start, int headEnd, boolean response) {
        // Byte by byte, line by line: this runs for every message of a pipelining socket.
        boolean chunked = false;
        int line = indexOf(c, start, CRLF) + CRLF.length; // past the start line
        while (line < headEnd) {
            int end = indexOf(c, line, CRLF);
            if (end < 0 || end > headEnd) {
                end = headEnd;
            }
            if (startsWith(c, line, end, "content-length:")) {
                return length(c, line + 15, end);
            }
            if (startsWith(c, line, end, "transfer-encoding:")
                    && new String(c, line + 18, end - line - 18, StandardCharsets.ISO_8859_1)
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("chunked")) {
                chunked = true;
            }
            line = end + CRLF.length;
        }
        if (chunked) {
            return chunkedLength(c, headEnd + HEAD_END.length);
        }
        return response ? -1 : 0;
    }

    /** Whether c[from..end) starts with the lower-case ASCII name, in any case. */
    private static boolean startsWith(byte[] c, int from, int end, String name) {
        if (end - from < name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int b = c[from + i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A decimal length in c[from..end), blanks around it allowed; -1 when malformed or above 10^18. */
    private static long length(byte[] c, int from, int end) {
        int i = from;
        while (i < end && (c[i] == ' ' || c[i] == '\t')) {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < end && c[i] >= '0' && c[i] <= '9') {
            if (++digits > 18) {
                return -1;
            }
            value = value * 10 + (c[i++] - '0');
        }
        while (i < end && (c[i] == ' ' || c[i] == '\t')) {
            i++;
        }
        return digits > 0 && i == end ? value : -1;
    }

    /** The length of a chunked body starting at c[from]; INCOMPLETE when it goes on past c, -1 when malformed. */
    private static long chunkedLength(byte[] c, int from) {
        int at = from;
        while (true) {
            int lineEnd = indexOf(c, at, CRLF);
            if (lineEnd < 0) {
                return at + 64 < c.length ? -1 : INCOMPLETE;
            }
            if (lineEnd - at > 64) {
                return -1;
            }
            String sizeLine = new String(c, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int ext = sizeLine.indexOf(';');
            long chunk;
            try {
                chunk = Long.parseLong((ext >= 0 ? sizeLine.substring(0, ext) : sizeLine).strip(), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
            if (chunk < 0) {
                return -1;
            }
            at = lineEnd + 2;
            if (chunk == 0) {
                // Trailers, if any, end with an empty line.
                int end = at + 2 <= c.length && c[at] == '\r' && c[at + 1] == '\n' ? at + 2 : -1;
                if (end < 0) {
                    int trailers = indexOf(c, at, HEAD_END);
                    if (trailers < 0) {
                        return INCOMPLETE;
                    }
                    end = trailers + HEAD_END.length;
                }
                return end - from;
            }
            if (chunk + 2 > c.length - at) {
                return INCOMPLETE;
            }
            at += (int) chunk + 2;
        }
    }

    private static int indexOf(byte[] c, int from, byte[] pattern) {
        outer:
        for (int i = from; i + pattern.length <= c.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (c[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
