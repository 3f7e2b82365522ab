package dev.nightjar.sensors;

/**
 * Sensor features; each loads, attaches and fails on its own. The socket data path that L7, DNS on
 * the wire and the learning of older connections share is one object ({@link SocketPath}) whose
 * parts are switched one by one; L7 has no other object.
 */
public enum Feature {
    NETWORK("net"),
    PROCESS("proc"),
    DNS("dns"),
    L7(SocketPath.OBJECT),
    /** Latency histograms of read, write, epoll_wait and futex; off unless asked for. */
    SYSCALLS("syscalls");

    private final String object;

    Feature(String object) {
        this.object = object;
    }

    /** An object file's resource name inside the jar. */
    static String resource(String object) {
        return "/dev/nightjar/sensors/bpf/" + object + ".bpf.o";
    }

    String objectName() {
        return object;
    }
}
