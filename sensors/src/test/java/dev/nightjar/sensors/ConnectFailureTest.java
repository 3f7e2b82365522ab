package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.NetworkState.PeerKey;
import dev.nightjar.sensors.NetworkState.PeerStats;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connection failures by reason, produced for real inside a private network namespace (created by
 * the test, gone when its processes exit), so the host's routes and sysctls are never touched:
 * a veth whose far end answers nothing. The sensor is outside the namespace and sees it anyway.
 */
class ConnectFailureTest {

    // SYN retries are per namespace: 1 makes the kernel give up after ~3 s instead of ~2 min.
    // ARP is shortened so an address nobody owns fails well before that.
    private static final String SCRIPT = """
            set -e
            ip link set lo up
            ip link add nj0 type veth peer name nj1
            ip addr add 192.0.2.1/24 dev nj0
            echo 1 > /proc/sys/net/ipv4/neigh/nj0/mcast_solicit
            echo 0 > /proc/sys/net/ipv4/neigh/nj0/ucast_solicit
            echo 300 > /proc/sys/net/ipv4/neigh/nj0/retrans_time_ms
            ip link set nj0 up
            ip link set nj1 up
            echo 1 > /proc/sys/net/ipv4/tcp_syn_retries
            # A link-layer address nobody has: SYNs leave and vanish.
            ip neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev nj0 nud permanent
            # The kernel times out: ETIMEDOUT.
            sh -c 'echo timeout $$; exec curl -s -o /dev/null http://192.0.2.9:81/' &
            # The application gives up first, after the SYN was resent (at 1 s; 2.5 s leaves a loaded
            # machine's timers a margin, and comes before the kernel's own timeout at 3 s).
            sh -c 'echo gave-up $$; exec curl -s -o /dev/null --connect-timeout 2.5 http://192.0.2.9:83/' &
            # The application's own deadline ends before the SYN is resent (1 s): still a timeout.
            sh -c 'echo short-deadline $$; exec curl -s -o /dev/null --connect-timeout 0.5 http://192.0.2.9:84/' &
            # Nobody answers ARP for this address: EHOSTUNREACH.
            sh -c 'echo unreachable $$; exec curl -s -o /dev/null http://192.0.2.10:82/' &
            wait
            """;

    @Test
    void timeoutsAndUnreachableHostsAreCountedByReasonWithTheResentSyn() throws Exception {
        ExternalPiece.require(
                Executables.find("unshare").isPresent()
                        && Executables.find("ip", "/usr/sbin/ip", "/sbin/ip").isPresent()
                        && Executables.find("curl").isPresent(),
                "unshare (util-linux), ip (iproute2) and curl");
        KernelSensor.get();
        Process p = new ProcessBuilder("unshare", "--net", "sh", "-c", SCRIPT)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Map<String, Integer> pids = new HashMap<>();
        out.lines()
                .map(l -> l.split(" "))
                .filter(w -> w.length == 2 && w[1].matches("\\d+"))
                .forEach(w -> pids.put(w[0], Integer.parseInt(w[1])));
        assertThat(pids).as(out).containsKeys("timeout", "gave-up", "short-deadline", "unreachable");

        PeerStats timeout =
                await(() -> stats(pids.get("timeout"), "192.0.2.9", 81).filter(s -> s.connectsTimedOut() == 1));
        assertThat(timeout.connectsEstablished()).isZero();
        assertThat(timeout.connectsUnreachable()).isZero();
        assertThat(timeout.retransmits()).isPositive(); // the unanswered SYN was sent again

        PeerStats gaveUp =
                await(() -> stats(pids.get("gave-up"), "192.0.2.9", 83).filter(s -> s.connectsTimedOut() == 1));
        assertThat(gaveUp.retransmits()).isPositive();

        PeerStats shortDeadline =
                await(() -> stats(pids.get("short-deadline"), "192.0.2.9", 84).filter(s -> s.connectsTimedOut() == 1));
        assertThat(shortDeadline.connectsOtherFailure()).isZero();
        assertThat(shortDeadline.retransmits()).isZero(); // gone before the first resend

        PeerStats unreachable =
                await(() -> stats(pids.get("unreachable"), "192.0.2.10", 82).filter(s -> s.connectsUnreachable() == 1));
        assertThat(unreachable.connectsTimedOut()).isZero();
        assertThat(unreachable.connectsRefused()).isZero();

        assertThat(KernelSensor.exportedSum(
                        "nightjar.tcp.connects",
                        Map.of("network.peer.address", "192.0.2.9", "server.port", 81, "outcome", "timeout")))
                .isEqualTo(1);
        assertThat(KernelSensor.exportedSum(
                        "nightjar.tcp.connects",
                        Map.of("network.peer.address", "192.0.2.10", "server.port", 82, "outcome", "unreachable")))
                .isEqualTo(1);
        assertThat(KernelSensor.exportedSum(
                        "nightjar.tcp.retransmits", Map.of("network.peer.address", "192.0.2.9", "server.port", 81)))
                .isEqualTo(timeout.retransmits());
    }

    private static Optional<PeerStats> stats(int pid, String address, int port) {
        return Optional.ofNullable(
                KernelSensor.get().network().peers().get(new PeerKey(pid, address, port, Role.CLIENT)));
    }
}
