package dev.nightjar.sensors;

import dev.nightjar.sensors.ebpf.BpfObject;
import dev.nightjar.sensors.ebpf.MapReader;
import dev.nightjar.sensors.event.HttpAggregate;
import dev.nightjar.sensors.l7.L7Protocols;
import dev.nightjar.sensors.l7.RequestSignature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The socket data path ({@code bpf/src/sock.bpf.c}): one object whose two programs, on every send
 * and receive of the machine, serve {@link Feature#L7}, DNS on the wire of {@link Feature#DNS}, and
 * for {@link Feature#NETWORK} the learning of connections opened before the sensor (their first
 * byte). Exact bytes are not counted here: the network object reads the kernel's own per-socket
 * counters. One program per hook instead of one per feature
 * saves a dispatch, the socket checks and the register reads per feature on the hottest path of
 * the kernel. Which parts run is written into the object's {@code .rodata.config} before it loads,
 * so the verifier removes the parts that are off; when the kernel refuses the whole, each part is
 * tried alone and the ones that load run together, so a refused part switches off only itself.
 */
final class SocketPath {

    /** A part of the data path and the feature it serves; the bits are {@code SOCK_*} in sock.bpf.c. */
    enum Part {
        LEARN(1, Feature.NETWORK, "connections opened before the sensor, learned on their first byte"),
        L7(2, Feature.L7, "l7 on send/recv"),
        DNS(4, Feature.DNS, "dns on udp 53");

        final int bit;
        final Feature feature;
        final String description;

        Part(int bit, Feature feature, String description) {
            this.bit = bit;
            this.feature = feature;
            this.description = description;
        }
    }

    /** The loaded object and the parts it runs. */
    record Loaded(BpfObject object, Set<Part> parts) {}

    static final String OBJECT = "sock";

    private SocketPath() {}

    /**
     * Loads the data path with {@code wanted} parts (not attached yet). {@code netMaps} are the network
     * object's {@code conns} and {@code sock_state} maps (name → fd), which the data path shares
     * (required for {@link Part#LEARN}). Parts the kernel refused are put in {@code refused} with
     * the reason.
     */
    static Optional<Loaded> load(
            byte[] elf,
            Set<Part> wanted,
            L7Protocols protocols,
            Map<String, Integer> netMaps,
            Map<Part, String> refused) {
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Loaded(loadParts(elf, wanted, protocols, netMaps), Set.copyOf(wanted)));
        } catch (RuntimeException whole) {
            if (wanted.size() == 1) {
                refused.put(wanted.iterator().next(), whole.getMessage());
                return Optional.empty();
            }
        }
        EnumSet<Part> alone = EnumSet.noneOf(Part.class);
        for (Part part : wanted) {
            try {
                loadParts(elf, EnumSet.of(part), protocols, netMaps).close();
                alone.add(part);
            } catch (RuntimeException e) {
                refused.put(part, e.getMessage());
            }
        }
        if (alone.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Loaded(loadParts(elf, alone, protocols, netMaps), Set.copyOf(alone)));
        } catch (RuntimeException e) {
            alone.forEach(part -> refused.put(part, "loads alone but not with the others: " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** The most HTTP counter slots the kernel keeps (one per process, peer, status, method and path). */
    static final int HTTP_SLOTS = 16384;

    /** What the preallocated per-CPU HTTP counters may take in all ({@link HttpAggregate#VALUE_SIZE} bytes per slot and CPU). */
    static final long HTTP_COUNTERS_BUDGET = 18L << 20;

    /**
     * HTTP counter slots for a host with {@code cpus} possible CPUs: {@link #HTTP_SLOTS}, fewer where
     * the per-CPU array would exceed {@link #HTTP_COUNTERS_BUDGET} (2,048 at 64 CPUs), at least 1,024.
     */
    static int httpSlots(int cpus) {
        long fit = HTTP_COUNTERS_BUDGET / (HttpAggregate.VALUE_SIZE * Math.max(1, cpus));
        return Math.max(1024, Math.min(HTTP_SLOTS, Integer.highestOneBit((int) Math.min(fit, 1 << 30))));
    }

    private static final int SIGNATURE_SIZE = 24;

    /** The size of {@code struct sock_config} (sock.bpf.c): features, long-capture bits, signatures. */
    static final int CONFIG_SIZE = 8 + SIGNATURE_SIZE * L7Protocols.MAX_SIGNATURES;

    /**
     * The object's {@code struct sock_config}: the parts' bits, then (with L7) the protocols whose
     * long sends are copied whole and the request signatures of the protocols parsed in user space,
     * as {@code struct l7_signature} (lowest bytes, highest bytes, length, protocol; 0 ends the table).
     */
    static byte[] config(Set<Part> parts, L7Protocols protocols) {
        int bits = 0;
        for (Part part : parts) {
            bits |= part.bit;
        }
        ByteBuffer config = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.nativeOrder());
        config.putInt(bits);
        if (!parts.contains(Part.L7)) {
            return config.array(); // no table: the verifier drops the matching along with L7
        }
        config.putInt(protocols.longCaptureMask());
        for (L7Protocols.NumberedSignature numbered : protocols.signatures()) {
            RequestSignature signature = numbered.signature();
            int at = config.position();
            for (int i = 0; i < signature.length(); i++) {
                config.put(at + i, (byte) signature.lowest(i));
                config.put(at + RequestSignature.MAX_LENGTH + i, (byte) signature.highest(i));
            }
            config.put(at + 2 * RequestSignature.MAX_LENGTH, (byte) signature.length());
            config.put(at + 2 * RequestSignature.MAX_LENGTH + 1, (byte) numbered.protocol());
            config.position(at + SIGNATURE_SIZE);
        }
        return config.array();
    }

    private static BpfObject loadParts(
            byte[] elf, Set<Part> parts, L7Protocols protocols, Map<String, Integer> netMaps) {
        byte[] config = config(parts, protocols);
        Map<String, Integer> shared = new HashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        if (parts.contains(Part.LEARN)) {
            shared.putAll(netMaps);
        } else {
            sizes.put("conns", 1); // unused: no need for the kernel to preallocate 64K entries
            if (netMaps.containsKey("sock_state")) {
                shared.put("sock_state", netMaps.get("sock_state"));
            }
        }
        if (parts.contains(Part.L7)) {
            int slots = httpSlots(MapReader.possibleCpus());
            sizes.put("http_values", slots);
            sizes.put("http_keys", slots);
        } else {
            sizes.put("http_values", 1);
            sizes.put("http_keys", 1);
            sizes.put("http_paths", 1);
            sizes.put("events", 512 * 1024); // DNS packets alone need far less room than L7 events
        }
        return BpfObject.load(OBJECT, elf, new BpfObject.Options(shared, Map.of(".rodata.config", config), sizes));
    }
}
