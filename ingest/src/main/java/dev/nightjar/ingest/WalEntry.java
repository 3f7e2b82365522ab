package dev.nightjar.ingest;

import dev.nightjar.core.TenantId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * One WAL record: the tenant, the signal, the receive time and the export request as OTLP protobuf. The
 * request is kept whole (rejected items too): mapping it again on replay gives the same records.
 */
record WalEntry(Signal signal, TenantId tenant, long receivedAtNanos, byte[] request) {
    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 1 + 16 + 8;

    enum Signal {
        LOGS,
        SPANS
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + request.length);
        b.put(VERSION).put((byte) signal.ordinal());
        UUID t = tenant.value();
        b.putLong(t.getMostSignificantBits()).putLong(t.getLeastSignificantBits());
        b.putLong(receivedAtNanos).put(request);
        return b.array();
    }

    static WalEntry decode(byte[] payload) {
        if (payload.length < HEADER || payload[0] != VERSION || payload[1] < 0 || payload[1] > 1) {
            throw new IllegalArgumentException("not a WAL entry of a known version");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        b.position(2);
        TenantId tenant = TenantId.of(new UUID(b.getLong(), b.getLong()));
        long received = b.getLong();
        return new WalEntry(
                Signal.values()[payload[1]], tenant, received, Arrays.copyOfRange(payload, HEADER, payload.length));
    }
}
