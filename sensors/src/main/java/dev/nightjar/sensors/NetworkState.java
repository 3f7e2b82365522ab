package dev.nightjar.sensors;

import dev.nightjar.sensors.ebpf.Errno;
import dev.nightjar.sensors.event.ConnectionEntry;
import dev.nightjar.sensors.event.DropEvent;
import dev.nightjar.sensors.event.EventType;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.sensors.event.TcpEvent;
import dev.nightjar.sensors.event.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TCP activity per process and peer, from lifecycle events plus periodic reads of the kernel's
 * live-connection map (bytes of connections still open). One writer thread; readers take
 * snapshots under the same lock.
 */
public final class NetworkState {

    /**
     * A process and one remote address in one role. {@code port} is the remote (server) port for a
     * client and the local listening port for a server, so ephemeral ports never become keys.
     */
    public record PeerKey(int pid, String peerAddress, int port, Role role) {}

    /** Counters for one {@link PeerKey}; bytes include connections still open. */
    public record PeerStats(
            long connectsEstablished,
            long connectsRefused,
            long connectsTimedOut,
            long connectsUnreachable,
            long connectsOtherFailure,
            long accepted,
            long closed,
            long closedDurationNanos,
            long bytesSent,
            long bytesReceived,
            long retransmits,
            long resetsSent,
            long resetsReceived,
            long midResponseDrops) {}

    /** A connection with its totals (open connections: totals so far). */
    public record Connection(int pid, Role role, Tuple tuple, long bytesSent, long bytesReceived, boolean open) {}

    public record Listener(int pid, String address, int port) {}

    private static final int SLOTS = 14;
    private static final int RECENT_CLOSED = 4096;
    private static final int MAX_PEERS = 50_000;

    private final Map<PeerKey, long[]> peers = new HashMap<>();
    private final Map<Long, ConnectionEntry> live = new HashMap<>();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final Deque<Connection> recentlyClosed = new ArrayDeque<>();
    private long overflowed;

    synchronized void onEvent(TcpEvent e) {
        switch (e.type()) {
            case EventType.TCP_LISTEN ->
                listeners.put(
                        listenerKey(e.tuple()),
                        new Listener(
                                e.pid(),
                                e.tuple().source().getHostAddress(),
                                e.tuple().sourcePort()));
            case EventType.TCP_LISTEN_CLOSE -> listeners.remove(listenerKey(e.tuple()));
            case EventType.TCP_CONNECTED -> add(e, 0);
            case EventType.TCP_CONNECT_FAILED -> add(e, failureSlot(e.error(), e.retransmits(), e.durationNanos()));
            case EventType.TCP_ACCEPTED -> add(e, 5);
            case EventType.TCP_CLOSED -> closed(e);
            case EventType.TCP_RETRANSMIT -> add(e, 10);
            case EventType.TCP_RESET_SENT -> add(e, 11);
            case EventType.TCP_RESET_RECEIVED -> add(e, 12);
            default -> {}
        }
    }

    /** The peer closed a client connection while a request still waited for its response. */
    synchronized void onMidResponseDrop(DropEvent e) {
        long[] c = counters(key(e.pid(), e.tuple(), Role.CLIENT));
        if (c != null) {
            c[13]++;
        }
    }

    /** Replaces the view of open connections with a fresh read of the kernel map. */
    synchronized void onLiveConnections(Collection<ConnectionEntry> entries) {
        live.clear();
        for (ConnectionEntry entry : entries) {
            live.put(entry.socket(), entry);
        }
    }

    private void closed(TcpEvent e) {
        live.remove(e.socket());
        long[] c = counters(key(e.pid(), e.tuple(), e.role()));
        if (c == null) {
            return;
        }
        c[6]++;
        c[7] += e.durationNanos();
        c[8] += e.bytesSent();
        c[9] += e.bytesReceived();
        if (recentlyClosed.size() == RECENT_CLOSED) {
            recentlyClosed.removeFirst();
        }
        recentlyClosed.addLast(new Connection(e.pid(), e.role(), e.tuple(), e.bytesSent(), e.bytesReceived(), false));
    }

    private void add(TcpEvent e, int slot) {
        long[] c = counters(key(e.pid(), e.tuple(), e.role()));
        if (c != null) {
            c[slot]++;
        }
    }

    /**
     * An application that closes a connecting socket which got no answer (no RST, no ICMP) after
     * waiting this long timed the connect out itself (curl --connect-timeout 0.5, a client's own
     * deadline) before the kernel resent its SYN (1 s); a quicker close is a cancel ("failed").
     */
    static final long GAVE_UP_AS_TIMEOUT_NANOS = 100_000_000L;

    /**
     * The kernel's own verdict when it gave up (sk_err); with none, the application closed the
     * socket first, which is a timeout when the SYN already went unanswered and had to be resent,
     * or had waited {@link #GAVE_UP_AS_TIMEOUT_NANOS} for an answer.
     */
    static int failureSlot(int error, int retransmits, long waitedNanos) {
        if (error == 0 && (retransmits > 0 || waitedNanos >= GAVE_UP_AS_TIMEOUT_NANOS)) {
            return 2;
        }
        return switch (error) {
            case Errno.ECONNREFUSED -> 1;
            case Errno.ETIMEDOUT -> 2;
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> 3;
            default -> 4;
        };
    }

    private static PeerKey key(int pid, Tuple t, Role role) {
        return new PeerKey(
                pid,
                t.destination().getHostAddress(),
                role == Role.SERVER ? t.sourcePort() : t.destinationPort(),
                role);
    }

    private static String listenerKey(Tuple t) {
        return t.source().getHostAddress() + "|" + t.sourcePort();
    }

    /** Bounded: past the cap, new peers are counted as overflow instead of tracked. */
    private long[] counters(PeerKey key) {
        long[] c = peers.get(key);
        if (c == null) {
            if (peers.size() >= MAX_PEERS) {
                overflowed++;
                return null;
            }
            c = new long[SLOTS];
            peers.put(key, c);
        }
        return c;
    }

    public synchronized Map<PeerKey, PeerStats> peers() {
        Map<PeerKey, long[]> merged = new HashMap<>();
        peers.forEach((k, v) -> merged.put(k, v.clone()));
        for (ConnectionEntry entry : live.values()) {
            long[] c = merged.computeIfAbsent(key(entry.pid(), entry.tuple(), entry.role()), k -> new long[SLOTS]);
            c[8] += entry.bytesSent();
            c[9] += entry.bytesReceived();
        }
        Map<PeerKey, PeerStats> out = new HashMap<>();
        merged.forEach((k, c) -> out.put(
                k,
                new PeerStats(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13])));
        return out;
    }

    /** Open connections and the most recently closed ones, with their byte totals. */
    public synchronized List<Connection> connections() {
        List<Connection> out = new ArrayList<>(recentlyClosed);
        for (ConnectionEntry e : live.values()) {
            out.add(new Connection(e.pid(), e.role(), e.tuple(), e.bytesSent(), e.bytesReceived(), true));
        }
        return out;
    }

    /**
     * Adds sockets that were listening before the kernel programs ran (see {@link ProcNetListeners}); a
     * listen() the programs saw meanwhile wins.
     */
    synchronized void seedListeners(List<Listener> existing) {
        for (Listener l : existing) {
            listeners.putIfAbsent(l.address() + "|" + l.port(), l);
        }
    }

    public synchronized List<Listener> listeners() {
        return List.copyOf(listeners.values());
    }

    public synchronized long overflowed() {
        return overflowed;
    }
}
