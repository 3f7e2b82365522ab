package dev.nightjar.sensors.l7;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** HTTP/1.x request lines and status lines; paths are reduced to templates to bound cardinality. */
public final class HttpParser implements ProtocolParser {

    private static final Set<String> METHODS =
            Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE");
    private static final Pattern NUMBER = Pattern.compile("^[0-9]+$");
    private static final Pattern HEXISH = Pattern.compile("^[0-9a-fA-F-]{16,}$");
    private static final int MAX_SEGMENTS = 8;

    @Override
    public String name() {
        return "http";
    }

    /** The path characters the kernel hashes (bpf/src/l7.h HTTP_PATH_MAX_SCAN): a path is named by these. */
    static final int HASHED_PATH = 64;

    @Override
    public Optional<Request> parseRequest(byte[] payload) {
        String line = firstLine(payload);
        if (line == null) {
            return truncatedRequest(payload);
        }
        return requestLine(line);
    }

    /** "GET /users/42?x=1 HTTP/1.1" → GET /users/{id}; empty when the line is not a request line. */
    static Optional<Request> requestLine(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !METHODS.contains(parts[0]) || !parts[2].startsWith("HTTP/1.")) {
            return Optional.empty();
        }
        return Optional.of(new Request(parts[0], template(parts[1])));
    }

    @Override
    public Optional<Response> parseResponse(byte[] payload) {
        String line = firstLine(payload);
        return line == null ? Optional.empty() : statusLine(line, contentLength(payload));
    }

    /** "HTTP/1.1 404 Not Found" → 404; empty when the line is not a status line. */
    static Optional<Response> statusLine(String line, long bodySize) {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            return Optional.empty();
        }
        char h = line.charAt(9);
        char t = line.charAt(10);
        char u = line.charAt(11);
        if (h < '1' || h > '5' || t < '0' || t > '9' || u < '0' || u > '9') {
            return Optional.empty();
        }
        String code = line.substring(9, 12);
        return Optional.of(new Response(code, code.charAt(0) == '5', bodySize));
    }

    /**
     * A request line longer than the capture (the kernel copies a new path's first 128 bytes): the
     * method and the path seen so far still name it, since the kernel tells paths apart by their
     * first {@value #HASHED_PATH} characters alone.
     */
    private static Optional<Request> truncatedRequest(byte[] payload) {
        String head = new String(payload, StandardCharsets.ISO_8859_1);
        int space = head.indexOf(' ');
        if (space < 3 || !METHODS.contains(head.substring(0, space)) || head.indexOf('\r') >= 0) {
            return Optional.empty();
        }
        String target = head.substring(space + 1);
        int end = target.indexOf(' ');
        if (end >= 0) {
            target = target.substring(0, end);
        } else if (target.length() <= HASHED_PATH && target.indexOf('?') < 0) {
            return Optional.empty(); // too short to be cut by the capture: not a request line
        }
        return Optional.of(new Request(head.substring(0, space), template(target)));
    }

    /**
     * "/users/42/orders?x=1" → "/users/{id}/orders": ids and query strings never become labels. A
     * path longer than the kernel hashes is named by the whole segments within that length, then
     * "{long}": requests whose paths differ only further on are one series.
     */
    static String template(String target) {
        int cut = target.indexOf('?');
        String path = cut >= 0 ? target.substring(0, cut) : target;
        if (!path.startsWith("/")) {
            return path.startsWith("http") ? "{absolute}" : "{other}";
        }
        if (path.length() > HASHED_PATH) {
            int lastWhole = path.lastIndexOf('/', HASHED_PATH);
            String within = lastWhole > 0 ? template(path.substring(0, lastWhole)) : "";
            return within.endsWith("/…") ? within : within + "/{long}";
        }
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 1; i < segments.length && used < MAX_SEGMENTS; i++, used++) {
            String s = segments[i];
            out.append('/');
            if (NUMBER.matcher(s).matches() || HEXISH.matcher(s).matches()) {
                out.append("{id}");
            } else {
                out.append(s.length() > 64 ? "{long}" : s);
            }
        }
        if (segments.length - 1 > MAX_SEGMENTS) {
            out.append("/…");
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    private static String firstLine(byte[] payload) {
        for (int i = 0; i + 1 < payload.length; i++) {
            if (payload[i] == '\r' && payload[i + 1] == '\n') {
                return new String(payload, 0, i, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static long contentLength(byte[] payload) {
        String head = new String(payload, StandardCharsets.ISO_8859_1);
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                try {
                    long value = Long.parseLong(line.substring(15).strip());
                    return value >= 0 ? value : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
