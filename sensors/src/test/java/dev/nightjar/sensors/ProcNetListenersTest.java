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

    @Test
    void aMissingOrEmptyProcGivesNothing(@TempDir Path dir) throws Exception {
        assertThat(ProcNetListeners.scan(dir)).isEmpty();
        Files.createDirectories(dir.resolve("net"));
        Files.writeString(dir.resolve("net/tcp"), "header\ngarbage line\n");
        assertThat(ProcNetListeners.scan(dir)).isEmpty();
    }
}
