package dev.nightjar.sensors.l7;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RESP: the command name of "*N\r\n$len\r\nCMD\r\n…" and the reply's type byte. Keys are never kept.
 * A pipelining client sends several commands in one write and reads their replies together: every
 * command and reply that starts inside the captured bytes is counted, in order.
 */
public final class RedisParser implements ProtocolParser {

    /** A RESP array of bulk strings, "*N\r\n$" (N up to 99), alone or after the empty line that {@code redis-cli --pipe} sends before its closing ECHO. */
    private static final List<RequestSignature> SIGNATURES = List.of(
            RequestSignature.builder()
                    .literal("*")
                    .range('1', '9')
                    .literal("\r\n$")
                    .build(),
            RequestSignature.builder()
                    .literal("*")
                    .range('1', '9')
                    .range('0', '9')
                    .literal("\r\n$")
                    .build(),
            RequestSignature.builder()
                    .literal("\r\n*")
                    .range('1', '9')
                    .literal("\r\n$")
                    .build(),
            RequestSignature.builder()
                    .literal("\r\n*")
                    .range('1', '9')
                    .range('0', '9')
                    .literal("\r\n$")
                    .build());

    private static final int MAX_COMMAND = 32;
    /** Nesting of aggregate replies (arrays of arrays…) followed before a reply counts as unreadable. */
    private static final int MAX_DEPTH = 8;

    private static final Response OK = new Response("OK", false, -1);
    private static final Response ERROR = new Response("ERR", true, -1);

    @Override
    public List<RequestSignature> requestSignatures() {
        return SIGNATURES;
    }

    @Override
    public boolean longCapture() {
        return true;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Optional<Request> parseRequest(byte[] p) {
        return requestAt(p, 0);
    }

    @Override
    public Optional<Response> parseResponse(byte[] p) {
        return replyAt(p, 0);
    }

    @Override
    public List<Request> parseRequests(byte[] p) {
        List<Request> out = new ArrayList<>();
        int at = 0;
        while (at < p.length) {
            Optional<Request> request = requestAt(p, at);
            if (request.isEmpty()) {
                break; // not a command, or one whose name lies past the captured bytes
            }
            out.add(request.get());
            if (p[at] == '\r') {
                at += 2; // the empty line before it
            }
            at = skipValue(p, at, 0);
            if (at < 0) {
                break; // runs past the captured bytes: later commands are not seen
            }
        }
        return out;
    }

    @Override
    public List<Response> parseResponses(byte[] p) {
        List<Response> out = new ArrayList<>();
        int at = 0;
        while (at < p.length) {
            Optional<Response> reply = replyAt(p, at);
            if (reply.isEmpty()) {
                break;
            }
            out.add(reply.get());
            at = skipValue(p, at, 0);
            if (at < 0) {
                break; // runs past the captured bytes: later replies are not seen
            }
        }
        return out;
    }

    /** The command of the RESP array that starts at {@code at} (after an empty line, if any). */
    private static Optional<Request> requestAt(byte[] p, int at) {
        if (p.length - at >= 2 && p[at] == '\r' && p[at + 1] == '\n') {
            at += 2;
        }
        if (p.length - at < 8 || p[at] != '*') {
            return Optional.empty();
        }
        int i = skipLine(p, at + 1);
        if (i < 0 || i >= p.length || p[i] != '$') {
            return Optional.empty();
        }
        int lenEnd = skipLine(p, i + 1);
        if (lenEnd < 0) {
            return Optional.empty();
        }
        String lenText = new String(p, i + 1, lenEnd - i - 3, StandardCharsets.US_ASCII);
        int len;
        try {
            len = Integer.parseInt(lenText);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (len <= 0 || len > MAX_COMMAND || lenEnd + len > p.length) {
            return Optional.empty();
        }
        String command = new String(p, lenEnd, len, StandardCharsets.US_ASCII);
        if (!command.chars().allMatch(c -> Character.isLetter(c) || c == '.' || c == '_')) {
            return Optional.empty();
        }
        return Optional.of(new Request(command.toUpperCase(Locale.ROOT), ""));
    }

    /** The kind of the reply that starts at {@code at}: an error or not. */
    private static Optional<Response> replyAt(byte[] p, int at) {
        if (p.length - at < 3) {
            return Optional.empty();
        }
        return switch (p[at]) {
            case '+', ':', '$', '*', '%', '~', '#', ',', '_', '(', '=', '>' -> Optional.of(OK);
            case '-', '!' -> Optional.of(ERROR);
            default -> Optional.empty();
        };
    }

    /** Index just after the RESP value that starts at {@code at}, or -1 when it ends past the payload. */
    private static int skipValue(byte[] p, int at, int depth) {
        if (at >= p.length || depth > MAX_DEPTH) {
            return -1;
        }
        int line = lineEnd(p, at + 1);
        if (line < 0) {
            return -1;
        }
        byte type = p[at];
        return switch (type) {
            case '+', '-', ':', ',', '_', '#', '(' -> line;
            case '$', '=', '!' -> {
                long len = number(p, at + 1, line - 2);
                if (len < 0) {
                    yield len == -1 ? line : -1; // $-1: a null bulk string
                }
                long end = line + len + 2;
                yield end <= p.length ? (int) end : -1;
            }
            case '*', '~', '>', '%', '|' -> {
                long n = number(p, at + 1, line - 2);
                if (n == -1 && type == '*') {
                    yield line; // *-1: a null array
                }
                if (n < 0) {
                    yield -1;
                }
                long elements = type == '%' || type == '|' ? 2 * n : n;
                int i = line;
                for (long k = 0; k < elements; k++) {
                    i = skipValue(p, i, depth + 1);
                    if (i < 0) {
                        yield -1;
                    }
                }
                // An attribute ('|') annotates the reply that follows it: skip that one too.
                yield type == '|' ? skipValue(p, i, depth + 1) : i;
            }
            default -> -1;
        };
    }

    /** Index just after the CRLF that ends the line starting at {@code from} (any length), or -1. */
    private static int lineEnd(byte[] p, int from) {
        for (int i = from; i + 1 < p.length; i++) {
            if (p[i] == '\r' && p[i + 1] == '\n') {
                return i + 2;
            }
        }
        return -1;
    }

    /** The decimal integer in p[from, to), or Long.MIN_VALUE when it is not one. */
    private static long number(byte[] p, int from, int to) {
        if (from >= to || to - from > 18) {
            return Long.MIN_VALUE;
        }
        boolean negative = p[from] == '-';
        int i = negative ? from + 1 : from;
        if (i >= to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            if (p[i] < '0' || p[i] > '9') {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (p[i] - '0');
        }
        return negative ? -v : v;
    }

    /** Index just after the next CRLF at or after {@code from}, or -1. */
    private static int skipLine(byte[] p, int from) {
        for (int i = from; i + 1 < p.length && i < from + 16; i++) {
            if (p[i] == '\r' && p[i + 1] == '\n') {
                return i + 2;
            }
        }
        return -1;
    }
}
