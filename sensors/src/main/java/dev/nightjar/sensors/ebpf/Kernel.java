package dev.nightjar.sensors.ebpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What this host offers for eBPF, checked before loading anything, so a missing piece is named. */
public record Kernel(boolean root, boolean btf, boolean libbpf, boolean tracefs) {

    private static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");

    public static Kernel probe() {
        return new Kernel(isRoot(), Files.isReadable(BTF), Libbpf.available(), tracefsMounted());
    }

    /** Classic tracepoints (syscalls:*) need tracefs; mount it when we may. */
    public static boolean ensureTracefs() {
        if (tracefsMounted()) {
            return true;
        }
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tracefs", "nodev", TRACEFS.toString())
                    .redirectErrorStream(true)
                    .start();
            mount.getInputStream().readAllBytes();
            mount.waitFor();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return tracefsMounted();
    }

    public boolean canLoad() {
        return root && btf && libbpf;
    }

    /** Human-readable reasons why eBPF cannot run here; empty when it can. */
    public List<String> missing() {
        List<String> reasons = new ArrayList<>();
        if (!root) {
            reasons.add("not running as root (eBPF needs CAP_BPF and CAP_PERFMON; run as root)");
        }
        if (!btf) {
            reasons.add("no kernel BTF at " + BTF + " (CO-RE needs a kernel built with CONFIG_DEBUG_INFO_BTF)");
        }
        if (!libbpf) {
            reasons.add("libbpf.so.1 not found (install Debian package libbpf1)");
        }
        return reasons;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean tracefsMounted() {
        return Files.isDirectory(TRACEFS.resolve("events"));
    }
}
