package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.NetworkState.Listener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcNetListenersTest {

    @Test
    void findsASocketThatWasListeningBeforeTheScanWithItsProcess() throws Exception {
        try (ServerSocket v4 = new ServerSocket();
                ServerSocket any = new ServerSocket()) {
            v4.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            any.bind(new InetSocketAddress(0)); // the wildcard, as most servers bind
            List<Listener> found = ProcNetListeners.scan(Path.of("/proc"));
            int pid = (int) ProcessHandle.current().pid();
            assertThat(found).contains(new Listener(pid, "127.0.0.1", v4.getLocalPort()));
            assertThat(found)
                    .filteredOn(l -> l.port() == any.getLocalPort())
                    .singleElement()
                    .satisfies(l -> {
                        assertThat(l.pid()).isEqualTo(pid);
                        assertThat(InetAddress.getByName(l.address()).isAnyLocalAddress())
                                .isTrue();
                    });
        }
    }

    @Test
    void parsesKernelLinesAndRejectsEverythingElse() {
        String v4 = "   0: 0100007F:4E2D 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
                + "     0        0 12345 1 0000000000000000 100 0 0 10 0";
        assertThat(ProcNetListeners.parse(v4, false))
                .contains(Map.entry(12345L, new ProcNetListeners.Socket("127.0.0.1", 20013)));
        String v6 = "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0";
        assertThat(ProcNetListeners.parse(v6, true))
                .contains(Map.entry(777L, new ProcNetListeners.Socket("0:0:0:0:0:0:0:1", 8080)));
        // An established socket, truncated lines, bad hex, wrong address widths, absurd ports and inodes.
        String established = v4.replace(" 0A ", " 01 ");
        for (String hostile : List.of(
                established,
                "",
                "   0: 0100007F:4E2D",
                v4.replace("0100007F", "ZZZZZZZZ"),
                v4.replace("0100007F", "0100007F00"),
                v4.replace(":4E2D", ":FFFFFFFFF"),
                v4.replace(":4E2D", "4E2D"),
                v4.replace(" 12345 ", " -1 "),
                v4.replace(" 12345 ", " 99999999999999999999999 "),
                "x".repeat(100_000))) {
            assertThat(ProcNetListeners.parse(hostile, false)).as(hostile).isEmpty();
        }
        assertThat(ProcNetListeners.parse(v4, true)).isEmpty();
    }

    /**
     * A pre-forked server after pids wrapped: its worker (pid 100) inherited the master's (pid 30000)
     * listening socket and has the lower pid. The master, whose parent holds no such socket, owns it.
     */
    @Test
    void aForkedServersMasterOwnsItsSocketWhateverThePids(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(
                proc.resolve("net/tcp"),
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                        + "   0: 0100007F:4E2D 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
                        + "     0        0 555 1 0000000000000000 100 0 0 10 0\n");
        for (int[] process : new int[][] {{30000, 1}, {100, 30000}, {101, 30000}}) {
            Path dir = proc.resolve(Integer.toString(process[0]));
            Files.createDirectories(dir.resolve("fd"));
            Files.createSymbolicLink(dir.resolve("fd/6"), Path.of("socket:[555]"));
            Files.writeString(dir.resolve("stat"), process[0] + " (nginx: worker (x)) S " + process[1] + " 1 1 0");
        }
        assertThat(ProcNetListeners.scan(proc)).containsExactly(new Listener(30000, "127.0.0.1", 20013));
        assertThat(ProcNetListeners.parent(proc, 100)).isEqualTo(30000);
        assertThat(ProcNetListeners.parent(proc, 999)).isZero();
    }

    @Test
    void aMissingOrEmptyProcGivesNothing(@TempDir Path dir) throws Exception {
        assertThat(ProcNetListeners.scan(dir)).isEmpty();
        Files.createDirectories(dir.resolve("net"));
        Files.writeString(dir.resolve("net/tcp"), "header\ngarbage line\n");
        assertThat(ProcNetListeners.scan(dir)).isEmpty();
    }
}
