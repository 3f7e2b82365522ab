package dev.nightjar.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.ebpf.BpfObject;
import dev.nightjar.sensors.ebpf.Kernel;
import dev.nightjar.sensors.event.HttpAggregate;
import dev.nightjar.sensors.l7.L7Protocols;
import dev.nightjar.sensors.l7.RequestSignature;
import dev.nightjar.testing.ExternalPiece;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The socket data path against the real verifier: every part loads together, and a part the kernel
 * refuses (here: the learning part handed a map of the wrong shape) switches off alone while the others load.
 */
class SocketPathTest {

    private static final EnumSet<SocketPath.Part> ALL = EnumSet.allOf(SocketPath.Part.class);

    @BeforeAll
    static void kernel() {
        Kernel kernel = Kernel.probe();
        ExternalPiece.require(kernel.root() && kernel.btf() && kernel.libbpf(), "root, kernel BTF and libbpf for eBPF");
    }

    @Test
    void allPartsLoadOntoTheNetworkConnectionMap() throws IOException {
        try (BpfObject net = BpfObject.load("net", elf("net"))) {
            Map<SocketPath.Part, String> refused = new EnumMap<>(SocketPath.Part.class);
            Optional<SocketPath.Loaded> loaded = SocketPath.load(
                    elf(SocketPath.OBJECT),
                    ALL,
                    L7Protocols.standard(),
                    Map.of("conns", net.mapFd("conns"), "sock_state", net.mapFd("sock_state")),
                    refused);
            assertThat(refused).isEmpty();
            assertThat(loaded).isPresent();
            try (BpfObject object = loaded.get().object()) {
                assertThat(loaded.get().parts()).containsExactlyInAnyOrderElementsOf(ALL);
                assertThat(object.mapFd("http_keys")).isPositive();
                assertThat(object.mapFd("http_values")).isPositive();
            }
        }
    }

    @Test
    void theConfigCarriesEachProtocolsSignaturesInTheKernelsLayout() {
        L7Protocols protocols = L7Protocols.standard();
        ByteBuffer config = ByteBuffer.wrap(SocketPath.config(ALL, protocols)).order(ByteOrder.nativeOrder());
        assertThat(config.capacity()).isEqualTo(SocketPath.CONFIG_SIZE).isEqualTo(8 + 24 * 32);
        assertThat(config.getInt(0)).isEqualTo(1 | 2 | 4);
        assertThat(config.getInt(4)).isEqualTo(1 << 2); // redis (2) asks for long captures
        int entries = 0;
        for (L7Protocols.NumberedSignature numbered : protocols.signatures()) {
            int at = 8 + 24 * entries++;
            RequestSignature signature = numbered.signature();
            assertThat(config.get(at + 16)).isEqualTo((byte) signature.length());
            assertThat(config.get(at + 17)).isEqualTo((byte) numbered.protocol());
            for (int i = 0; i < signature.length(); i++) {
                assertThat(config.get(at + i) & 0xff).isEqualTo(signature.lowest(i));
                assertThat(config.get(at + 8 + i) & 0xff).isEqualTo(signature.highest(i));
            }
        }
        assertThat(entries).isBetween(1, 32);
        if (entries < 32) {
            assertThat(config.get(8 + 24 * entries + 16)).as("the table's end").isZero();
        }
        byte[] withoutL7 = SocketPath.config(EnumSet.of(SocketPath.Part.DNS), protocols);
        assertThat(ByteBuffer.wrap(withoutL7).order(ByteOrder.nativeOrder()).getInt(0))
                .isEqualTo(4);
        assertThat(Arrays.copyOfRange(withoutL7, 4, withoutL7.length)).containsOnly((byte) 0);
    }

    @Test
    void httpCounterSlotsStayWithinTheBudgetOnLargeHosts() {
        assertThat(SocketPath.httpSlots(2)).isEqualTo(SocketPath.HTTP_SLOTS);
        assertThat(SocketPath.httpSlots(8)).isEqualTo(SocketPath.HTTP_SLOTS);
        assertThat(SocketPath.httpSlots(64)).isEqualTo(2048);
        assertThat(SocketPath.httpSlots(4096)).isEqualTo(1024);
        assertThat(SocketPath.httpSlots(0)).isEqualTo(SocketPath.HTTP_SLOTS);
        for (int cpus = 1; cpus <= 512; cpus++) {
            long bytes = HttpAggregate.VALUE_SIZE * SocketPath.httpSlots(cpus) * cpus;
            assertThat(bytes <= SocketPath.HTTP_COUNTERS_BUDGET || SocketPath.httpSlots(cpus) == 1024)
                    .isTrue();
        }
    }

    @Test
    void aRefusedPartSwitchesOffAloneAndTheOthersRun() throws IOException {
        try (BpfObject net = BpfObject.load("net", elf("net"))) {
            // listeners (u16 → u32) cannot stand in for conns (u64 → struct conn): the part that
            // learns connections is refused, L7 and DNS do not depend on it.
            Map<SocketPath.Part, String> refused = new EnumMap<>(SocketPath.Part.class);
            Optional<SocketPath.Loaded> loaded = SocketPath.load(
                    elf(SocketPath.OBJECT),
                    ALL,
                    L7Protocols.standard(),
                    Map.of("conns", net.mapFd("listeners"), "sock_state", net.mapFd("sock_state")),
                    refused);
            assertThat(refused).containsOnlyKeys(SocketPath.Part.LEARN);
            assertThat(refused.get(SocketPath.Part.LEARN)).startsWith("loading sock failed");
            assertThat(loaded).isPresent();
            try (BpfObject object = loaded.get().object()) {
                assertThat(loaded.get().parts()).containsExactlyInAnyOrder(SocketPath.Part.L7, SocketPath.Part.DNS);
                assertThat(object.attachAll()).containsExactlyInAnyOrder("on_sock_send", "on_sock_recv");
            }
        }
    }

    @Test
    void onePartAloneLoads() throws IOException {
        Map<SocketPath.Part, String> refused = new EnumMap<>(SocketPath.Part.class);
        Optional<SocketPath.Loaded> loaded = SocketPath.load(
                elf(SocketPath.OBJECT), EnumSet.of(SocketPath.Part.DNS), L7Protocols.standard(), Map.of(), refused);
        assertThat(refused).isEmpty();
        assertThat(loaded).isPresent();
        try (BpfObject object = loaded.get().object()) {
            assertThat(loaded.get().parts()).containsExactly(SocketPath.Part.DNS);
            assertThat(object.mapFd("events")).isPositive();
        }
    }

    private static byte[] elf(String object) throws IOException {
        try (InputStream in = SocketPathTest.class.getResourceAsStream(Feature.resource(object))) {
            assertThat(in).as(object + " in the jar").isNotNull();
            return in.readAllBytes();
        }
    }
}
