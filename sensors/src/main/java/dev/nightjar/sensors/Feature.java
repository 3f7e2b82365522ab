package dev.nightjar.sensors;

/** Sensor features, each one eBPF object that loads, attaches and fails on its own. */
public enum Feature {
    NETWORK("net"),
    PROCESS("proc"),
    DNS("dns"),
    L7("l7"),
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
