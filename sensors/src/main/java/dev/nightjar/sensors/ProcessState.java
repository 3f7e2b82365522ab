package dev.nightjar.sensors;

import dev.nightjar.sensors.event.EventType;
import dev.nightjar.sensors.event.ProcEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Process starts, exits (with status and signal) and restarts per executable and container. */
public final class ProcessState {

    /** What the sensor knows about a process; {@code container} is empty on the host. */
    public record ProcessInfo(int pid, String executable, String comm, String container) {}

    public record Exit(int pid, String executable, String container, int status, int signal) {}

    /** Counts per executable and container. */
    public record ExecutableKey(String executable, String container) {}

    public record ExecutableStats(long starts, long exits, long failedExits, long signalled, long restarts) {}

    /**
     * Exits that failed, by what ended them: {@code status} is the exit status (0 when a signal
     * ended the process), {@code signal} the signal (0 for a normal exit).
     */
    public record ExitCodeKey(String executable, String container, int status, int signal) {}

    private static final int MAX_PROCESSES = 65_536;
    private static final int RECENT_EXITS = 4096;
    private static final int MAX_EXECUTABLES = 10_000;
    private static final int MAX_EXIT_CODES = 10_000;

    private final Map<Integer, ProcessInfo> processes = new LinkedHashMap<>();
    private final Map<ExecutableKey, long[]> executables = new HashMap<>();
    private final Map<ExecutableKey, Boolean> exitedOnce = new HashMap<>();
    private final Map<ExitCodeKey, long[]> exitCodes = new HashMap<>();
    private final Deque<Exit> recentExits = new ArrayDeque<>();

    synchronized void onEvent(ProcEvent e) {
        switch (e.type()) {
            case EventType.PROC_FORK -> {
                ProcessInfo parent = processes.get(e.ppid());
                remember(new ProcessInfo(
                        e.pid(),
                        parent != null ? parent.executable() : e.comm(),
                        e.comm(),
                        ContainerIds.fromCgroup(e.cgroup()).orElse("")));
            }
            case EventType.PROC_EXEC -> {
                ProcessInfo info = new ProcessInfo(
                        e.pid(),
                        absolute(e.pid(), e.filename(), e.cwd()),
                        e.comm(),
                        ContainerIds.fromCgroup(e.cgroup()).orElse(""));
                remember(info);
                ExecutableKey key = new ExecutableKey(info.executable(), info.container());
                long[] c = counters(key);
                if (c != null) {
                    c[0]++;
                    if (exitedOnce.containsKey(key)) {
                        c[4]++;
                    }
                }
            }
            case EventType.PROC_EXIT -> {
                // Kept, not removed: a short-lived client's series are exported after it exited and
                // must still name its executable (/proc no longer can). A later fork of the same pid
                // replaces it; the map's bound evicts the oldest.
                ProcessInfo info = processes.get(e.pid());
                String executable = info != null ? info.executable() : e.comm();
                String container = info != null
                        ? info.container()
                        : ContainerIds.fromCgroup(e.cgroup()).orElse("");
                ExecutableKey key = new ExecutableKey(executable, container);
                long[] c = counters(key);
                if (c != null) {
                    c[1]++;
                    if (e.exitStatus() != 0) {
                        c[2]++;
                    }
                    if (e.signal() != 0) {
                        c[3]++;
                    }
                    exitedOnce.put(key, Boolean.TRUE);
                }
                if (e.exitStatus() != 0 || e.signal() != 0) {
                    ExitCodeKey codeKey = new ExitCodeKey(executable, container, e.exitStatus(), e.signal());
                    long[] n = exitCodes.get(codeKey);
                    if (n == null && exitCodes.size() < MAX_EXIT_CODES) {
                        n = new long[1];
                        exitCodes.put(codeKey, n);
                    }
                    if (n != null) {
                        n[0]++;
                    }
                }
                if (recentExits.size() == RECENT_EXITS) {
                    recentExits.removeFirst();
                }
                recentExits.addLast(new Exit(e.pid(), executable, container, e.exitStatus(), e.signal()));
            }
            default -> {}
        }
    }

    /** Who a pid is, learned from exec events or, for older processes, from /proc. */
    public synchronized ProcessInfo describe(int pid) {
        ProcessInfo known = processes.get(pid);
        if (known != null) {
            return known;
        }
        ProcessInfo fromProc = fromProc(pid);
        remember(fromProc);
        return fromProc;
    }

    public synchronized List<Exit> recentExits() {
        return List.copyOf(recentExits);
    }

    public synchronized Map<ExecutableKey, ExecutableStats> executables() {
        Map<ExecutableKey, ExecutableStats> out = new HashMap<>();
        executables.forEach((k, c) -> out.put(k, new ExecutableStats(c[0], c[1], c[2], c[3], c[4])));
        return out;
    }

    /** Failed or signalled exits per executable, container, exit status and signal. */
    public synchronized Map<ExitCodeKey, Long> exitCodes() {
        Map<ExitCodeKey, Long> out = new HashMap<>();
        exitCodes.forEach((k, n) -> out.put(k, n[0]));
        return out;
    }

    private long[] counters(ExecutableKey key) {
        long[] c = executables.get(key);
        if (c == null && executables.size() < MAX_EXECUTABLES) {
            c = new long[5];
            executables.put(key, c);
        }
        return c;
    }

    private void remember(ProcessInfo info) {
        if (processes.size() >= MAX_PROCESSES) {
            Integer oldest = processes.keySet().iterator().next();
            processes.remove(oldest);
        }
        // Re-inserted so the eviction order is the order in which pids were last learned.
        processes.remove(info.pid());
        processes.put(info.pid(), info);
    }

    /**
     * The path execve was given, made absolute against the process's working directory when it was
     * relative ({@code ./tool}, {@code bin/tool}), so one executable is one key however it was
     * started (an absolute path is only cleared of {@code .} and {@code ..}): the directory the
     * kernel read at the exec, or else (a directory deeper or longer than
     * the kernel walks) {@code /proc/<pid>/cwd}; a process gone by then keeps the path as given.
     */
    static String absolute(int pid, String filename, String execCwd) {
        if (filename.isEmpty()) {
            return filename;
        }
        try {
            if (filename.startsWith("/")) {
                return filename.contains("/.") || filename.contains("//")
                        ? Path.of(filename).normalize().toString()
                        : filename;
            }
            if (execCwd.startsWith("/")) {
                return Path.of(execCwd).resolve(filename).normalize().toString();
            }
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "cwd"));
            return cwd.resolve(filename).normalize().toString();
        } catch (IOException | UnsupportedOperationException | InvalidPathException e) {
            return filename;
        }
    }

    private static ProcessInfo fromProc(int pid) {
        Path dir = Path.of("/proc", Integer.toString(pid));
        String executable = "";
        String comm = "";
        String container = "";
        try {
            executable = Files.readSymbolicLink(dir.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            // exited already, or a kernel thread
        }
        try {
            comm = Files.readString(dir.resolve("comm")).strip();
            String cgroup = Files.readString(dir.resolve("cgroup")).strip();
            container = ContainerIds.fromCgroup(cgroup.substring(cgroup.lastIndexOf(':') + 1))
                    .orElse("");
        } catch (IOException e) {
            // exited already
        }
        return new ProcessInfo(pid, executable.isEmpty() ? comm : executable, comm, container);
    }
}
