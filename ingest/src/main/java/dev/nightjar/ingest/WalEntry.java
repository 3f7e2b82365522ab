package dev.nightjar.ingest;

import dev.nightjar.core.TenantId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * One WAL record: an id, the tenant, the signal, the receive time and the export request as OTLP
 * protobuf. The request is kept whole (rejected items too): mapping it again on replay gives the same
 * records. A {@link Signal#CANCEL} entry withdraws the entry whose id it carries in {@code
 * receivedAtNanos}: the store refused that request after it was logged, so replay must skip it.
 */
record WalEntry(long id, Signal signal, TenantId tenant, long receivedAtNanos, byte[] request) {
    private static final byte VERSION = 2;
    private static final int HEADER = 1 + 1 + 8 + 16 + 8;

    enum Signal {
        LOGS,
        SPANS,
        CANCEL
    }

    static WalEntry cancel(WalEntry entry) {
        return new WalEntry(entry.id + 1, Signal.CANCEL, entry.tenant, entry.id, new byte[0]);
    }

    byte[] encode() {
        byte[] head = header();
        byte[] out = Arrays.copyOf(head, HEADER + request.length);
        System.arraycopy(request, 0, out, HEADER, request.length);
        return out;
    }

    /** The entry without its request: {@code header() ++ request()} is {@link #encode()}. */
    byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.put(VERSION).put((byte) signal.ordinal()).putLong(id);
        UUID t = tenant.value();
        b.putLong(t.getMostSignificantBits()).putLong(t.getLeastSignificantBits());
        b.putLong(receivedAtNanos);
        return b.array();
    }

    static WalEntry decode(byte[] payload) {
        if (payload.length < HEADER || payload[0] != VERSION || payload[1] < 0 || payload[1] > 2) {
            throw new IllegalArgumentException("not a WAL entry of a known version");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        b.position(2);
        long id = b.getLong();
        TenantId tenant = TenantId.of(new UUID(b.getLong(), b.getLong()));
        long received = b.getLong();
        return new WalEntry(
                id, Signal.values()[payload[1]], tenant, received, Arrays.copyOfRange(payload, HEADER, payload.length));
    }
}
