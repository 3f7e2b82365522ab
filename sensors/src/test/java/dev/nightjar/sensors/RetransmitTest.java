package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.NetworkState.PeerKey;
import dev.nightjar.sensors.NetworkState.PeerStats;
import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real retransmits of data segments: nginx in one private network namespace sends a file to curl
 * in another over a veth pair; halfway through, the server's neighbour entry for the client is
 * pointed at a link-layer address nobody has, so its segments are lost and resent, then it is
 * restored and the transfer completes. (netem would be simpler, but this kernel has no sch_netem.)
 */
class RetransmitTest {

    private static final int FILE_BYTES = 4_000_000;
    private static final int PORT = 8080;

    private static final String SCRIPT = """
            set -e
            ip link set lo up
            # A small receive window keeps data in flight for the whole transfer.
            echo "4096 32768 65536" > /proc/sys/net/ipv4/tcp_rmem
            unshare --net sleep 120 &
            holder=$!
            sleep 0.2
            ip link add nj0 type veth peer name nj1
            ip link set nj1 netns $holder
            ip addr add 192.0.2.1/24 dev nj0
            ip link set nj0 up
            B="nsenter --net=/proc/$holder/ns/net"
            $B sh -c 'ip link set lo up; ip addr add 192.0.2.2/24 dev nj1; ip link set nj1 up'
            $B nginx -p DIR -e DIR/error.log -c DIR/nginx.conf &
            server=$!
            up=0
            for i in $(seq 1 50); do
              if curl -s -o /dev/null http://192.0.2.2:8080/; then up=1; break; fi
              sleep 0.1
            done
            [ $up = 1 ]
            curl -s --limit-rate 1M -o DIR/got.bin -w 'header %{size_header}\\nbody %{size_download}\\n' \\
                http://192.0.2.2:8080/data.bin &
            client=$!
            echo "client $client"
            # The path goes dark once a quarter MB has arrived, not after a fixed time: one clean-clone run
            # had the whole file before a fixed 0.5 s was over, and nothing was resent.
            for i in $(seq 1 500); do
              [ "$(stat -c %s DIR/got.bin 2>/dev/null || echo 0)" -ge 262144 ] && break
              sleep 0.01
            done
            $B ip neigh replace 192.0.2.1 lladdr 02:00:00:00:00:99 dev nj1 nud permanent
            sleep 1.5
            $B ip neigh del 192.0.2.1 dev nj1
            wait $client
            echo "kernel $($B nstat -az TcpRetransSegs | awk '/TcpRetransSegs/ {print $2}')"
            kill $server $holder
            """;

    @Test
    void lostSegmentsAreCountedAsRetransmitsOfTheServerAndBytesStayExact(@TempDir Path dir) throws Exception {
        boolean present = Executables.find("nginx", "/usr/sbin/nginx").isPresent()
                && Executables.find("curl").isPresent()
                && Executables.find("unshare").isPresent()
                && Executables.find("nsenter").isPresent()
                && Executables.find("ip", "/usr/sbin/ip", "/sbin/ip").isPresent()
                && Executables.find("nstat", "/usr/sbin/nstat", "/sbin/nstat").isPresent();
        ExternalPiece.require(present, "nginx, curl, unshare/nsenter (util-linux), ip and nstat (iproute2)");
        KernelSensor.get();
        // nginx's worker runs as nobody: the directory and file must be readable to it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] data = new byte[FILE_BYTES];
        new Random(11).nextBytes(data);
        Files.write(dir.resolve("data.bin"), data);
        Files.setPosixFilePermissions(dir.resolve("data.bin"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("index.html"), "up\n");
        Files.setPosixFilePermissions(dir.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 16; }
                http {
                    access_log off;
                    sendfile off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server { listen 192.0.2.2:%2$d; root %1$s; }
                }
                """.formatted(dir, PORT));

        Process p = new ProcessBuilder("unshare", "--net", "sh", "-c", SCRIPT.replace("DIR", dir.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readAllBytes(dir.resolve("got.bin"))).isEqualTo(data);
        Map<String, Long> values = new HashMap<>();
        out.lines()
                .map(l -> l.split(" "))
                .filter(w -> w.length == 2 && w[1].matches("\\d+"))
                .forEach(w -> values.put(w[0], Long.parseLong(w[1])));
        assertThat(values).as(out).containsKeys("client", "header", "body", "kernel");
        long kernelRetransmits = values.get("kernel");
        assertThat(kernelRetransmits).as("segments the kernel resent").isPositive();

        // The server side: nginx's worker, whatever its pid, towards the client's address.
        long seen = await(() -> Optional.of(serverRetransmits()).filter(n -> n > 0));
        // One event per resent packet; the kernel counts segments (a packet may carry several).
        assertThat(seen).isLessThanOrEqualTo(kernelRetransmits);

        // Losses and resends do not disturb the byte count: the client received exactly the response.
        int client = values.get("client").intValue();
        long response = values.get("header") + values.get("body");
        assertThat(values.get("body")).isEqualTo(FILE_BYTES);
        PeerStats curl = await(() -> Optional.ofNullable(
                        KernelSensor.get().network().peers().get(new PeerKey(client, "192.0.2.2", PORT, Role.CLIENT)))
                .filter(s -> s.closed() == 1));
        assertThat(curl.bytesReceived()).isEqualTo(response);
        // The server resent segments, yet its sent bytes count each payload byte once (the largest of
        // its connections to the client: readiness probes came before the transfer).
        long served = await(() -> KernelSensor.get().network().connections().stream()
                .filter(c -> !c.open()
                        && c.role() == Role.SERVER
                        && c.tuple().sourcePort() == PORT
                        && c.tuple().destination().getHostAddress().equals("192.0.2.1"))
                .mapToLong(c -> c.bytesSent())
                .max()
                .stream()
                .boxed()
                .filter(n -> n >= FILE_BYTES)
                .findFirst());
        assertThat(served).isEqualTo(response);
        assertThat(KernelSensor.exportedSum(
                        "nightjar.tcp.retransmits",
                        Map.of("network.peer.address", "192.0.2.1", "server.port", PORT, "nightjar.role", "server")))
                .isEqualTo(serverRetransmits());
    }

    private static long serverRetransmits() {
        return KernelSensor.get().network().peers().entrySet().stream()
                .filter(e -> e.getKey().role() == Role.SERVER
                        && e.getKey().port() == PORT
                        && e.getKey().peerAddress().equals("192.0.2.1"))
                .mapToLong(e -> e.getValue().retransmits())
                .sum();
    }
}
