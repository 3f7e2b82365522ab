package dev.nightjar.ingest.otlp;

import com.google.protobuf.Message;
import java.time.Duration;

/**
 * The outcome of one export, independent of transport: either a success response (possibly with
 * partial success) or an error with its HTTP status, gRPC code and, when retryable, a retry delay.
 */
record ExportReply(int httpStatus, int grpcCode, String message, Message response, Duration retryAfter) {

    static ExportReply ok(Message response) {
        return new ExportReply(200, 0, "", response, null);
    }

    static ExportReply error(int httpStatus, int grpcCode, String message) {
        return new ExportReply(httpStatus, grpcCode, message, null, null);
    }

    static ExportReply retryable(int httpStatus, String message, Duration retryAfter) {
        return new ExportReply(httpStatus, RpcStatus.UNAVAILABLE, message, null, retryAfter);
    }

    boolean success() {
        return response != null;
    }
}
