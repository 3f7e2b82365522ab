package dev.nightjar.sensors;

import dev.nightjar.sensors.ebpf.BpfObject;
import dev.nightjar.sensors.event.ConnectionEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact bytes of open connections: the kernel's own per-socket counters (bpf/src/tcp_bytes.h).
 * The network object gives every connection it tracks an entry in the {@code sock_state} socket
 * storage, which cannot be walked key by key from user space: {@code sockbytes.bpf.o} iterates it
 * and writes one {@code struct sock_bytes_record} (socket address, sent, received) per TCP socket.
 */
final class SocketBytes {

    static final String OBJECT = "sockbytes";
    static final String PROGRAM = "dump_bytes";
    private static final int RECORD = 24;
    /** One record per socket; bounds a read even on a host with millions of sockets. */
    private static final int MAX_BYTES = RECORD * 1_000_000;

    private SocketBytes() {}

    /** {@code entries} with their bytes from the iterator (0 for a socket it has no record for). */
    static List<ConnectionEntry> read(BpfObject iterator, List<ConnectionEntry> entries) {
        return withBytes(entries, iterator.readIterator(PROGRAM, MAX_BYTES));
    }

    /** Joins the records (native byte order, whole records only) to the entries by socket address. */
    static List<ConnectionEntry> withBytes(List<ConnectionEntry> entries, byte[] records) {
        ByteBuffer in = ByteBuffer.wrap(records).order(ByteOrder.nativeOrder());
        Map<Long, long[]> bytes = new HashMap<>();
        while (in.remaining() >= RECORD) {
            long socket = in.getLong();
            bytes.put(socket, new long[] {in.getLong(), in.getLong()});
        }
        List<ConnectionEntry> joined = new ArrayList<>(entries.size());
        for (ConnectionEntry e : entries) {
            long[] b = bytes.getOrDefault(e.socket(), new long[2]);
            joined.add(new ConnectionEntry(e.socket(), e.pid(), b[0], b[1], e.retransmits(), e.role(), e.tuple()));
        }
        return joined;
    }
}
