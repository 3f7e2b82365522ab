package dev.nightjar.sensors.l7;

import java.util.List;
import java.util.Optional;

/**
 * One application protocol, parsed from the first bytes (at most 256; 4096 for a long Redis send
 * or receive) of a request or response that the kernel copied. Payloads are untrusted and often truncated: parsers return empty
 * rather than throw, and never allocate in proportion to declared lengths.
 */
public interface ProtocolParser {

    /** The protocol number the kernel uses for this protocol (bpf/src/nightjar.h L7_*). */
    int protocol();

    String name();

    Optional<Request> parseRequest(byte[] payload);

    Optional<Response> parseResponse(byte[] payload);

    /**
     * Every request that starts in the first bytes of one send or receive, in order: more than one
     * when a client pipelines. One request unless a protocol says otherwise.
     */
    default List<Request> parseRequests(byte[] payload) {
        return parseRequest(payload).map(List::of).orElse(List.of());
    }

    /**
     * The replies that start in the first bytes of a response, in order: more than one when a
     * pipelining client's replies arrive together. One reply unless a protocol says otherwise.
     */
    default List<Response> parseResponses(byte[] payload) {
        return parseResponse(payload).map(List::of).orElse(List.of());
    }

    /**
     * {@code operation}: method or command; {@code target}: a low-cardinality path template or
     * key-less form; {@code statement}: the name of a prepared statement this request defines or
     * executes (PostgreSQL), else empty. An executed statement's target is the one its definition
     * had on the same connection.
     */
    record Request(String operation, String target, String statement) {
        public Request(String operation, String target) {
            this(operation, target, "");
        }
    }

    /** {@code status}: protocol status text ("200", "OK", "ERR"); {@code bodySize} -1 when unknown. */
    record Response(String status, boolean error, long bodySize) {}
}
