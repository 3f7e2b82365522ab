package dev.nightjar.sensors.l7;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * PostgreSQL frontend Query ('Q') and Parse ('P') messages: the statement's first keyword only
 * (SELECT, INSERT, …), never its text. Responses: ErrorResponse ('E') is an error, anything a
 * backend sends after a query (RowDescription, CommandComplete, ParseComplete…) is success.
 */
public final class PostgresParser implements ProtocolParser {

    @Override
    public int protocol() {
        return 3;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public Optional<Request> parseRequest(byte[] p) {
        if (p.length < 6 || (p[0] != 'Q' && p[0] != 'P')) {
            return Optional.empty();
        }
        int start = 5;
        if (p[0] == 'P') {
            while (start < p.length && p[start] != 0) { // statement name
                start++;
            }
            start++;
        }
        while (start < p.length && Character.isWhitespace(p[start])) {
            start++;
        }
        int end = start;
        while (end < p.length && end - start < 16 && Character.isLetter(p[end])) {
            end++;
        }
        if (end == start) {
            return Optional.empty();
        }
        String keyword = new String(p, start, end - start, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        return Optional.of(new Request(p[0] == 'Q' ? "query" : "parse", keyword));
    }

    @Override
    public Optional<Response> parseResponse(byte[] p) {
        if (p.length < 5) {
            return Optional.empty();
        }
        return switch (p[0]) {
            case 'E' -> Optional.of(new Response("ERROR", true, -1));
            case 'T', 'C', 'D', '1', '2', 'Z', 'I', 'n', 't', 'N', 'S' -> Optional.of(new Response("OK", false, -1));
            default -> Optional.empty();
        };
    }
}
