package dev.nightjar.sensors.l7;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PostgreSQL frontend Query ('Q'), Parse ('P') and Bind ('B') messages: the statement's first
 * keyword only (SELECT, INSERT, …), never its text; a Bind names the prepared statement it executes,
 * whose keyword the sensor learned from its Parse on the same connection. Responses: an
 * ErrorResponse ('E') among the backend's messages is an error, anything else a backend sends after
 * a query (RowDescription, CommandComplete, ParseComplete…) is success.
 */
public final class PostgresParser implements ProtocolParser {

    /**
     * A simple query ('Q'), an extended-protocol Parse ('P') or a Bind ('B': a prepared statement run
     * again without a new Parse, as JDBC and {@code pgbench -M prepared} do), then the message's
     * big-endian length, whose first byte is 0 for any message under 16 MiB.
     */
    private static final List<RequestSignature> SIGNATURES = List.of(
            RequestSignature.builder().literal("Q\0").any().any().any().build(),
            RequestSignature.builder().literal("P\0").any().any().any().build(),
            RequestSignature.builder().literal("B\0").any().any().any().build());

    private static final Response OK = new Response("OK", false, -1);
    /** Longer statement names are not remembered (a client's names are short: "S_1", "P_0"). */
    private static final int MAX_STATEMENT_NAME = 64;

    @Override
    public List<RequestSignature> requestSignatures() {
        return SIGNATURES;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public Optional<Request> parseRequest(byte[] p) {
        if (p.length < 6 || (p[0] != 'Q' && p[0] != 'P' && p[0] != 'B')) {
            return Optional.empty();
        }
        if (p[0] == 'B') {
            // Bind: portal name, then the name of the prepared statement it executes.
            int portalEnd = cStringEnd(p, 5);
            int statementEnd = portalEnd < 0 ? -1 : cStringEnd(p, portalEnd + 1);
            if (statementEnd < 0 || statementEnd - portalEnd - 1 > MAX_STATEMENT_NAME) {
                return Optional.empty();
            }
            String statement = new String(p, portalEnd + 1, statementEnd - portalEnd - 1, StandardCharsets.US_ASCII);
            return Optional.of(new Request("execute", "", statement));
        }
        int start = 5;
        String statement = "";
        if (p[0] == 'P') {
            int nameEnd = cStringEnd(p, 5);
            if (nameEnd < 0) {
                return Optional.empty();
            }
            if (nameEnd - 5 <= MAX_STATEMENT_NAME) {
                statement = new String(p, 5, nameEnd - 5, StandardCharsets.US_ASCII);
            }
            start = nameEnd + 1;
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
        String operation = p[0] == 'Q' ? "query" : executes(p) ? "parse" : "prepare";
        return Optional.of(new Request(operation, keyword, statement));
    }

    /**
     * Whether a Parse is followed by an Execute before its Sync: a statement parsed and run in one
     * exchange ("parse"), or only prepared for later Binds ("prepare", pgbench -M prepared, a JDBC
     * server-side statement). Messages past the captured bytes are not seen: then it counts as run.
     */
    private static boolean executes(byte[] p) {
        int at = 0;
        while (at + 5 <= p.length) {
            byte type = p[at];
            if (at > 0 && type == 'E') {
                return true;
            }
            if (type == 'S' || type == 'H') {
                return false;
            }
            long len = messageLength(p, at);
            long next = at + 1 + len;
            if (len < 4 || next > p.length) {
                return true;
            }
            at = (int) next;
        }
        return true;
    }

    /** The big-endian length field of the message whose type byte is at {@code at} (it counts itself). */
    private static long messageLength(byte[] p, int at) {
        return ((p[at + 1] & 0xffL) << 24)
                | ((p[at + 2] & 0xffL) << 16)
                | ((p[at + 3] & 0xffL) << 8)
                | (p[at + 4] & 0xffL);
    }

    /**
     * The backend's messages in order (type byte, big-endian length): an ErrorResponse anywhere in
     * the captured bytes is the exchange's error, also after the ParseComplete and BindComplete an
     * extended-protocol exchange starts with.
     */
    @Override
    public Optional<Response> parseResponse(byte[] p) {
        if (p.length < 5) {
            return Optional.empty();
        }
        int at = 0;
        boolean known = false;
        while (at + 5 <= p.length) {
            switch (p[at]) {
                case 'E' -> {
                    return Optional.of(new Response("ERROR", true, -1));
                }
                case 'T', 'C', 'D', '1', '2', '3', 'Z', 'I', 'n', 't', 'N', 'S', 's', 'A', 'K', 'G', 'H', 'W' ->
                    known = true;
                default -> {
                    return known ? Optional.of(OK) : Optional.empty();
                }
            }
            if (p[at] == 'Z') {
                break; // ReadyForQuery ends the exchange
            }
            long len = messageLength(p, at);
            long next = at + 1 + len;
            if (len < 4 || next > p.length) {
                break;
            }
            at = (int) next;
        }
        return known ? Optional.of(OK) : Optional.empty();
    }

    /** Index of the NUL ending the C string at {@code from}, or -1 when it ends past the payload. */
    private static int cStringEnd(byte[] p, int from) {
        for (int i = from; i < p.length; i++) {
            if (p[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
