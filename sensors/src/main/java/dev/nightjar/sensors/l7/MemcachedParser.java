package dev.nightjar.sensors.l7;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Memcached's text protocol, classic and meta commands: the command name ("get", "set", "mg"…) and
 * the reply's keyword; keys and values are never kept. A retrieval's reply is {@code HIT} when it
 * carries a value and {@code MISS} when it is a bare {@code END}; {@code ERROR}, {@code CLIENT_ERROR}
 * and {@code SERVER_ERROR} are errors. Clients pipeline (several gets, or sets with {@code noreply},
 * in one write): every command that starts inside the captured bytes is seen, in order, and a
 * {@code noreply} command, which gets no reply to pair with, is not counted. The binary protocol
 * (deprecated upstream) is not recognised.
 */
public final class MemcachedParser implements ProtocolParser {

    /** Commands followed by a data block of the length their line declares. */
    private static final Set<String> STORAGE = Set.of("set", "add", "replace", "append", "prepend", "cas");

    private static final Set<String> COMMANDS = Set.of(
            "get",
            "gets",
            "gat",
            "gats",
            "set",
            "add",
            "replace",
            "append",
            "prepend",
            "cas",
            "delete",
            "incr",
            "decr",
            "touch",
            "mg",
            "ms",
            "md",
            "ma",
            "mn",
            "me",
            "stats",
            "version",
            "flush_all",
            "verbosity");

    /**
     * Each command's name and the space after it ("mn", the meta no-op, comes alone with CRLF). The
     * meta commands share one: 'm', a letter, a space. Statistics and administration commands are
     * left out: monitoring polls are not the application's traffic.
     */
    private static final List<RequestSignature> SIGNATURES = List.of(
            RequestSignature.literal("get "),
            RequestSignature.literal("gets "),
            RequestSignature.literal("gat "),
            RequestSignature.literal("gats "),
            RequestSignature.literal("set "),
            RequestSignature.literal("add "),
            RequestSignature.literal("replace "),
            RequestSignature.literal("append "),
            RequestSignature.literal("prepend "),
            RequestSignature.literal("cas "),
            RequestSignature.literal("delete "),
            RequestSignature.literal("incr "),
            RequestSignature.literal("decr "),
            RequestSignature.literal("touch "),
            RequestSignature.builder().literal("m").range('a', 's').literal(" ").build());

    /** A command line longer than this is not memcached's (keys are at most 250 bytes). */
    private static final int MAX_LINE = 2048;

    private static final int MAX_DATA = 1 << 30;

    @Override
    public String name() {
        return "memcached";
    }

    @Override
    public List<RequestSignature> requestSignatures() {
        return SIGNATURES;
    }

    @Override
    public Optional<Request> parseRequest(byte[] p) {
        List<Request> all = parseRequests(p);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    @Override
    public List<Request> parseRequests(byte[] p) {
        List<Request> out = new ArrayList<>();
        int at = 0;
        while (at < p.length) {
            int end = lineEnd(p, at);
            if (end < 0) {
                // The line runs past the captured bytes: its command is still seen if it is whole.
                String[] words = words(p, at, p.length);
                if (words.length > 1 && COMMANDS.contains(words[0]) && !words[words.length - 1].isEmpty()) {
                    addRequest(out, words);
                }
                break;
            }
            String[] words = words(p, at, end);
            if (words.length == 0 || !COMMANDS.contains(words[0])) {
                break;
            }
            addRequest(out, words);
            at = end + 2;
            if (STORAGE.contains(words[0]) || words[0].equals("ms")) {
                long data = dataLength(words);
                if (data < 0) {
                    break;
                }
                at += (int) data + 2;
            }
        }
        return out;
    }

    private static void addRequest(List<Request> out, String[] words) {
        String last = words[words.length - 1];
        boolean quiet =
                last.equals("noreply") || (words[0].length() == 2 && words[0].charAt(0) == 'm' && hasFlag(words, 'q'));
        if (!quiet) {
            out.add(new Request(words[0].toUpperCase(Locale.ROOT), ""));
        }
    }

    /** Meta commands take flags as single-letter tokens after the key; 'q' suppresses the usual reply. */
    private static boolean hasFlag(String[] words, char flag) {
        for (int i = 2; i < words.length; i++) {
            if (words[i].length() >= 1 && words[i].charAt(0) == flag) {
                return true;
            }
        }
        return false;
    }

    /** The data block's length: the 5th word of a classic storage command, the 3rd of "ms". */
    private static long dataLength(String[] words) {
        int index = words[0].equals("ms") ? 2 : 4;
        if (words.length <= index) {
            return -1;
        }
        try {
            long n = Long.parseLong(words[index]);
            return n < 0 || n > MAX_DATA ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public Optional<Response> parseResponse(byte[] p) {
        List<Response> all = parseResponses(p);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    @Override
    public List<Response> parseResponses(byte[] p) {
        List<Response> out = new ArrayList<>();
        int at = 0;
        while (at < p.length) {
            int end = lineEnd(p, at);
            String[] words = words(p, at, end < 0 ? p.length : end);
            if (words.length == 0) {
                break;
            }
            Optional<Response> reply = reply(words[0]);
            if (reply.isEmpty()) {
                break;
            }
            out.add(reply.get());
            if (end < 0) {
                break;
            }
            at = skipReply(p, words, end + 2);
            if (at < 0) {
                break; // runs past the captured bytes: later replies are not seen
            }
        }
        return out;
    }

    private static Optional<Response> reply(String keyword) {
        return switch (keyword) {
            case "VALUE", "VA" -> Optional.of(new Response("HIT", false, -1));
            case "END", "EN" -> Optional.of(new Response("MISS", false, -1));
            case "STAT", "VERSION", "OK" -> Optional.of(new Response("OK", false, -1));
            case "STORED",
                    "NOT_STORED",
                    "EXISTS",
                    "NOT_FOUND",
                    "DELETED",
                    "TOUCHED",
                    "HD",
                    "NF",
                    "NS",
                    "EX",
                    "MN",
                    "ME" -> Optional.of(new Response(keyword, false, -1));
            case "ERROR", "CLIENT_ERROR", "SERVER_ERROR" -> Optional.of(new Response(keyword, true, -1));
            default -> isNumber(keyword) ? Optional.of(new Response("OK", false, -1)) : Optional.empty();
        };
    }

    /**
     * Where the reply whose first line ended before {@code at} ends: a retrieval's values up to its
     * END, a "VA" value's data block, statistics up to END; -1 past the captured bytes.
     */
    private static int skipReply(byte[] p, String[] first, int at) {
        switch (first[0]) {
            case "VA" -> {
                long n = first.length > 1 ? parseLength(first[1]) : -1;
                return n < 0 || at + n + 2 > p.length ? -1 : (int) (at + n + 2);
            }
            case "VALUE", "STAT" -> {
                String[] words = first;
                while (true) {
                    if (words[0].equals("VALUE")) {
                        long n = words.length > 3 ? parseLength(words[3]) : -1;
                        if (n < 0 || at + n + 2 > p.length) {
                            return -1;
                        }
                        at += (int) n + 2;
                    }
                    int end = lineEnd(p, at);
                    if (end < 0) {
                        return -1;
                    }
                    words = words(p, at, end);
                    at = end + 2;
                    if (words.length == 0 || words[0].equals("END")) {
                        return at;
                    }
                }
            }
            default -> {
                return at;
            }
        }
    }

    private static long parseLength(String word) {
        if (!isNumber(word) || word.length() > 10) {
            return -1;
        }
        long n = Long.parseLong(word);
        return n > MAX_DATA ? -1 : n;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The index of the CR of the CRLF ending the line that starts at {@code at}, or -1. */
    private static int lineEnd(byte[] p, int at) {
        int limit = Math.min(p.length - 1, at + MAX_LINE);
        for (int i = at; i < limit; i++) {
            if (p[i] == '\r' && p[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String[] words(byte[] p, int from, int to) {
        if (to <= from) {
            return new String[0];
        }
        String line = new String(p, from, Math.min(to - from, MAX_LINE), StandardCharsets.US_ASCII);
        return line.isBlank() ? new String[0] : line.strip().split(" +");
    }
}
