package dev.nightjar.sensors;

import dev.nightjar.sensors.event.EventType;
import dev.nightjar.sensors.event.HttpAggregate;
import dev.nightjar.sensors.event.HttpSpanEvent;
import dev.nightjar.sensors.event.L7Event;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.sensors.l7.HttpParser;
import dev.nightjar.sensors.l7.HttpStream;
import dev.nightjar.sensors.l7.L7Protocols;
import dev.nightjar.sensors.l7.ProtocolParser;
import dev.nightjar.sensors.l7.ProtocolParser.Request;
import dev.nightjar.sensors.l7.ProtocolParser.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pairs requests with responses per (process, fd) and counts them by operation and status. */
public final class L7State {

    public record CallKey(
            int pid,
            String protocol,
            Role role,
            String peerAddress,
            int port,
            String operation,
            String target,
            String status) {}

    /** Latency buckets in seconds, the upper bounds of an explicit histogram. */
    public static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /**
     * {@code requestBytes}/{@code responseBytes}: whole messages (request or status line, headers,
     * body), counted by the kernel for HTTP; -1 for the protocols parsed from events, whose later
     * chunks the kernel does not report.
     */
    public record CallStats(
            long count,
            long errors,
            double latencySecondsSum,
            long[] bucketCounts,
            long requestBytes,
            long responseBytes) {

        /** Counts alone, with no sizes (the tests' sums). */
        public CallStats(long count, long errors, double latencySecondsSum, long[] bucketCounts) {
            this(count, errors, latencySecondsSum, bucketCounts, -1, -1);
        }
    }

    /** One completed request, kept for export as a span. */
    public record Call(CallKey key, long endNanos, long latencyNanos, boolean error) {}

    private record PendingKey(int pid, int fd, Role role) {}

    /**
     * A request sent or received and not yet answered: a pipelining client has several per socket.
     * {@code bytes}: the whole request's size where known (HTTP parsed from events), else -1.
     */
    private record Pending(ProtocolParser parser, Request request, long timestampNanos, long bytes) {
        Pending(ProtocolParser parser, Request request, long timestampNanos) {
            this(parser, request, timestampNanos, -1);
        }
    }

    /**
     * Both directions of one pipelining HTTP socket's end (bpf/src/l7.h L7_HTTP_STREAM), and the
     * number of its last chunk: the kernel numbers a stream socket's events, so a dropped one shows.
     */
    private static final class HttpStreams {
        final HttpStream requests = new HttpStream();
        final HttpStream responses = new HttpStream();
        long lastChunk = -1;
    }

    /** A prepared statement on one side of one connection (PostgreSQL). */
    private record StatementKey(PendingKey connection, String name) {}

    private static final int MAX_STATEMENTS = 16_384;
    private static final Response UNSEEN_REPLY = new Response("OK", false, -1);
    /** An HTTP reply that was not seen (past the kernel's capture of a pipelined batch). */
    private static final Response UNSEEN_HTTP_REPLY = new Response("{unseen}", false, -1);

    private static final int MAX_STREAMS = 16_384;
    private static final int MAX_PENDING = 32_768;
    /** Unanswered requests kept per socket (a pipeline deeper than this loses its oldest). */
    private static final int MAX_PIPELINE = 1024;

    private static final int MAX_CALLS = 10_000;
    private static final int MAX_PATHS = 16_384;

    private final Map<Integer, ProtocolParser> parsers = new HashMap<>();
    private final Map<PendingKey, Deque<Pending>> pending = new HashMap<>();
    private final Map<PendingKey, HttpStreams> httpStreams = new HashMap<>();
    private int pendingCount;
    private final Map<StatementKey, String> statements = new HashMap<>();
    private final L7Counts counts = new L7Counts();
    private final Deque<Call> calls = new ArrayDeque<>();
    private final Map<Long, String> httpPaths = new HashMap<>();
    private List<HttpAggregate> http = List.of();
    private final HttpParser httpParser = new HttpParser();
    private long unparsed;
    private long droppedCalls;

    L7State(L7Protocols protocols) {
        this.parsers.putAll(protocols.byNumber());
    }

    synchronized void onEvent(L7Event e) {
        if (e.type() == EventType.L7_HTTP_PATH) {
            namePath(e);
            return;
        }
        ProtocolParser parser = parsers.get(e.protocol());
        if (parser == null) {
            return;
        }
        PendingKey key = new PendingKey(e.pid(), e.fd(), e.role());
        if (e.protocol() == L7Protocols.HTTP) {
            onHttpStream(key, e);
            return;
        }
        if (e.type() == EventType.L7_REQUEST) {
            List<Request> requests = parser.parseRequests(e.payload());
            if (requests.isEmpty()) {
                unparsed++;
                return;
            }
            if (pendingCount + requests.size() > MAX_PENDING) {
                pending.clear(); // responses that never came; start over rather than grow
                pendingCount = 0;
            }
            Deque<Pending> queue = pending.computeIfAbsent(key, k -> new ArrayDeque<>());
            for (Request parsed : requests) {
                Request r = named(key, parsed);
                if (queue.size() >= MAX_PIPELINE) {
                    queue.removeFirst();
                    pendingCount--;
                }
                queue.addLast(new Pending(parser, r, e.timestampNanos()));
                pendingCount++;
            }
            return;
        }
        if (e.type() != EventType.L7_RESPONSE) {
            return;
        }
        Deque<Pending> queue = pending.remove(key);
        if (queue == null) {
            return;
        }
        pendingCount -= queue.size();
        List<Response> replies = parser.parseResponses(e.payload());
        if (replies.isEmpty()) {
            unparsed++;
            return;
        }
        // The kernel completes an exchange on the response's first bytes and times it from the
        // latest request; an older request of a pipeline waited that much longer. Replies past the
        // captured bytes (or in later chunks, which the kernel does not report) are not seen: every
        // request sent before this response is answered in order, and one whose reply was not seen
        // counts as a success.
        long newest = queue.peekLast().timestampNanos();
        int i = 0;
        for (Pending p : queue) {
            Response response = i < replies.size() ? replies.get(i) : UNSEEN_REPLY;
            record(p, response, e, e.latencyNanos() + Math.max(0, newest - p.timestampNanos()), -1);
            i++;
        }
    }

    /**
     * A chunk of a pipelining HTTP socket (the kernel counts all other HTTP itself): requests are
     * queued, responses answer them in order, and each exchange is timed from its own request's
     * event. Requests whose replies a chunk hid (past its capture) are counted with status
     * {@code {unseen}}, so the count stays exact.
     */
    private void onHttpStream(PendingKey key, L7Event e) {
        if (!httpStreams.containsKey(key) && httpStreams.size() >= MAX_STREAMS) {
            httpStreams.clear();
        }
        HttpStreams stream = httpStreams.computeIfAbsent(key, k -> new HttpStreams());
        Deque<Pending> queue = pending.computeIfAbsent(key, k -> new ArrayDeque<>());
        long chunk = e.latencyNanos(); // the chunk's number on its socket
        if (stream.lastChunk >= 0 && chunk != stream.lastChunk + 1) {
            // An event was dropped: the requests waiting cannot be paired past the gap.
            unanswered(queue, e);
            stream.requests.lose();
            stream.responses.lose();
        }
        stream.lastChunk = chunk;
        if (e.type() == EventType.L7_REQUEST) {
            for (HttpStream.Message<Request> m : stream.requests.requests(e.payload(), e.size())) {
                if (pendingCount >= MAX_PENDING) {
                    pending.values().forEach(Deque::clear);
                    pendingCount = 0;
                }
                if (queue.size() >= MAX_PIPELINE) {
                    queue.removeFirst();
                    pendingCount--;
                }
                queue.addLast(new Pending(httpParser, m.value(), e.timestampNanos(), m.bytes()));
                pendingCount++;
            }
            return;
        }
        if (e.type() != EventType.L7_RESPONSE) {
            return;
        }
        List<HttpStream.Message<Response>> replies =
                stream.responses.responses(e.payload(), e.size(), i -> headRequestAt(queue, i));
        for (HttpStream.Message<Response> reply : replies) {
            Pending p = queue.pollFirst();
            if (p == null) {
                break; // a reply to a request sent before the socket's events began
            }
            pendingCount--;
            record(p, reply.value(), e, Math.max(0, e.timestampNanos() - p.timestampNanos()), reply.bytes());
        }
        if (stream.responses.lost()) {
            unanswered(queue, e);
        }
    }

    /** Whether the i-th request waiting is a HEAD, whose response has no body. */
    private static boolean headRequestAt(Deque<Pending> queue, int i) {
        int at = 0;
        for (Pending p : queue) {
            if (at++ == i) {
                return p.request().operation().equals("HEAD");
            }
        }
        return false;
    }

    /** Requests whose replies were not seen: counted, with status {@code {unseen}}. */
    private void unanswered(Deque<Pending> queue, L7Event e) {
        while (!queue.isEmpty()) {
            Pending p = queue.pollFirst();
            pendingCount--;
            record(p, UNSEEN_HTTP_REPLY, e, Math.max(0, e.timestampNanos() - p.timestampNanos()), -1);
        }
    }

    /**
     * A statement defined by name (a Parse) is remembered with its keyword; one executed by name
     * (a Bind, no new Parse) takes that keyword as its target, or {@code {prepared}} when it was
     * defined before the sensor started.
     */
    private Request named(PendingKey connection, Request r) {
        if (r.statement().isEmpty() && !r.operation().equals("parse")) {
            return r;
        }
        StatementKey key = new StatementKey(connection, r.statement());
        if (r.operation().equals("execute")) {
            return new Request(r.operation(), statements.getOrDefault(key, "{prepared}"), r.statement());
        }
        if (statements.size() >= MAX_STATEMENTS) {
            statements.clear();
        }
        statements.put(key, r.target());
        return r;
    }

    /** The kernel met a new HTTP path hash: remember its template (the kernel sends each once). */
    private void namePath(L7Event e) {
        if (httpPaths.size() >= MAX_PATHS) {
            httpPaths.clear();
        }
        httpPaths.put(
                e.latencyNanos(),
                httpParser.parseRequest(e.payload()).map(Request::target).orElse("{unparsed}"));
    }

    /** A sampled (or failed) HTTP exchange the kernel counted: kept as a span. */
    synchronized void onHttpSpan(HttpSpanEvent e) {
        int port = e.role() == Role.SERVER ? e.tuple().sourcePort() : e.tuple().destinationPort();
        CallKey key = new CallKey(
                e.pid(),
                "http",
                e.role(),
                e.tuple().destination().getHostAddress(),
                port,
                e.method(),
                httpPaths.getOrDefault(e.pathHash(), "{unknown}"),
                Integer.toString(e.status()));
        addCall(new Call(key, e.timestampNanos(), e.latencyNanos(), e.status() >= 500));
    }

    private void addCall(Call call) {
        if (calls.size() >= MAX_CALLS) {
            calls.removeFirst();
            droppedCalls++;
        }
        calls.addLast(call);
    }

    /** The kernel's cumulative HTTP counters, replacing the previous read. */
    synchronized void onHttpAggregates(List<HttpAggregate> aggregates) {
        http = List.copyOf(aggregates);
    }

    /** responseBytes: the whole response's size where known, else -1. */
    private void record(Pending p, Response response, L7Event e, long latencyNanos, long responseBytes) {
        int port = e.role() == Role.SERVER ? e.tuple().sourcePort() : e.tuple().destinationPort();
        String peer = e.tuple().destination().getHostAddress();
        count(key(e.pid(), e.role(), peer, port, p, response), response, e, latencyNanos, p.bytes(), responseBytes);
        if (e.role() == Role.CLIENT && e.peerPid() != 0) {
            // A loopback server's end, which its client's socket reports (bpf/src/loopback.h): the
            // server's port is the client's destination, its peer the client's own address.
            String client = e.tuple().source().getHostAddress();
            CallKey server = key(e.peerPid(), Role.SERVER, client, e.tuple().destinationPort(), p, response);
            count(server, response, e, latencyNanos, p.bytes(), responseBytes);
        }
    }

    private static CallKey key(int pid, Role role, String peer, int port, Pending p, Response response) {
        return new CallKey(
                pid,
                p.parser().name(),
                role,
                peer,
                port,
                p.request().operation(),
                p.request().target(),
                response.status());
    }

    private void count(
            CallKey key, Response response, L7Event e, long latencyNanos, long requestBytes, long responseBytes) {
        if (!counts.add(key, response.error(), latencyNanos, requestBytes, responseBytes)) {
            unparsed++;
            return;
        }
        addCall(new Call(key, e.timestampNanos(), latencyNanos, response.error()));
    }

    public synchronized Map<CallKey, CallStats> stats() {
        Map<CallKey, CallStats> out = counts.snapshot();
        // Several kernel hashes can share one template (ids the kernel does not collapse): sum them.
        for (HttpAggregate a : http) {
            CallKey key = new CallKey(
                    a.pid(),
                    "http",
                    a.role(),
                    a.peerAddress(),
                    a.port(),
                    a.method(),
                    httpPaths.getOrDefault(a.pathHash(), "{unknown}"),
                    Integer.toString(a.status()));
            out.merge(key, fromKernel(a), L7Counts::sum);
        }
        return out;
    }

    private static CallStats fromKernel(HttpAggregate a) {
        return new CallStats(
                a.count(),
                a.status() >= 500 ? a.count() : 0,
                a.latencyNanosSum() / 1e9,
                a.buckets(),
                a.requestBytes(),
                a.responseBytes());
    }

    /** Completed calls since the last drain, oldest first (for spans). */
    public synchronized List<Call> drainCalls() {
        List<Call> out = new ArrayList<>(calls);
        calls.clear();
        return out;
    }

    public synchronized long unparsed() {
        return unparsed;
    }

    public synchronized long droppedCalls() {
        return droppedCalls;
    }
}
