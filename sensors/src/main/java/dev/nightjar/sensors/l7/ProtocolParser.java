package dev.nightjar.sensors.l7;

import java.util.List;
import java.util.Optional;

/**
 * One application protocol, parsed from the first bytes (at most 256; 4096 for a long send or
 * receive of a protocol that asks for it) of a request or response that the kernel copied. Payloads
 * are untrusted and often truncated: parsers return empty rather than throw, and never allocate in
 * proportion to declared lengths.
 *
 * <p>A protocol is one class implementing this interface, listed in {@link L7Protocols}: the kernel
 * learns its {@link #requestSignatures()} when the sensor loads, and needs no code of its own.
 */
public interface ProtocolParser {

    /** The name exported as {@code network.protocol.name}: lower case, stable ("redis"). */
    String name();

    /**
     * How the kernel recognises this protocol's requests (a client's send, a server's receive): a
     * connection whose request matches one is this protocol's from then on. Empty for HTTP, which
     * the kernel classifies and counts itself.
     */
    default List<RequestSignature> requestSignatures() {
        return List.of();
    }

    /**
     * Whether a send or receive longer than the usual 256-byte capture is copied up to 4096 bytes
     * instead: for protocols whose clients pipeline, so that {@link #parseRequests} and {@link
     * #parseResponses} see more than the first few requests or replies of a batch.
     */
    default boolean longCapture() {
        return false;
    }

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
