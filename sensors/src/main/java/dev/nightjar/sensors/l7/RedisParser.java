package dev.nightjar.sensors.l7;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** RESP: the command name of "*N\r\n$len\r\nCMD\r\n…" and the reply's type byte. Keys are never kept. */
public final class RedisParser implements ProtocolParser {

    private static final int MAX_COMMAND = 32;

    @Override
    public int protocol() {
        return 2;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Optional<Request> parseRequest(byte[] p) {
        if (p.length < 8 || p[0] != '*') {
            return Optional.empty();
        }
        int i = skipLine(p, 1);
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

    @Override
    public Optional<Response> parseResponse(byte[] p) {
        if (p.length < 3) {
            return Optional.empty();
        }
        return switch (p[0]) {
            case '+', ':', '$', '*', '%', '~', '#', ',', '_' -> Optional.of(new Response("OK", false, -1));
            case '-' -> Optional.of(new Response("ERR", true, -1));
            default -> Optional.empty();
        };
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
