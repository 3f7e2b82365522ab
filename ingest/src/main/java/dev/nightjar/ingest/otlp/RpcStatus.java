package dev.nightjar.ingest.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

/**
 * Encodes {@code google.rpc.Status} (and its {@code google.rpc.RetryInfo} detail) by hand: OTLP error
 * bodies use these two small messages, and the artifacts that define them are not otherwise needed.
 */
final class RpcStatus {
    static final int INVALID_ARGUMENT = 3;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNAUTHENTICATED = 16;
    static final int PERMISSION_DENIED = 7;
    static final int UNAVAILABLE = 14;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;

    private static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

    private RpcStatus() {}

    /** {@code google.rpc.Status{code, message, details: [RetryInfo{retry_delay}] if retryAfter != null}}. */
    static byte[] encode(int code, String message, Duration retryAfter) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            if (code != 0) {
                out.writeInt32(1, code);
            }
            if (!message.isEmpty()) {
                out.writeString(2, message);
            }
            if (retryAfter != null) {
                out.writeBytes(3, any(RETRY_INFO_TYPE, retryInfo(retryAfter)));
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(int code, String message) {
        StringBuilder sb = new StringBuilder("{\"code\":").append(code).append(",\"message\":\"");
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append("\"}").toString();
    }

    private static ByteString retryInfo(Duration delay) throws IOException {
        ByteArrayOutputStream duration = new ByteArrayOutputStream();
        CodedOutputStream d = CodedOutputStream.newInstance(duration);
        d.writeInt64(1, delay.getSeconds());
        if (delay.getNano() != 0) {
            d.writeInt32(2, delay.getNano());
        }
        d.flush();
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        CodedOutputStream i = CodedOutputStream.newInstance(info);
        i.writeBytes(1, ByteString.copyFrom(duration.toByteArray()));
        i.flush();
        return ByteString.copyFrom(info.toByteArray());
    }

    private static ByteString any(String typeUrl, ByteString value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, typeUrl);
        out.writeBytes(2, value);
        out.flush();
        return ByteString.copyFrom(bytes.toByteArray());
    }
}
