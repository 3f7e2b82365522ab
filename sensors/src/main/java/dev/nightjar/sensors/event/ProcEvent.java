package dev.nightjar.sensors.event;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/** fork, exec or exit of a process ({@code struct nj_proc_event}). */
public record ProcEvent(
        int type,
        int pid,
        long timestampNanos,
        int ppid,
        int exitCode,
        String comm,
        String cgroup,
        String filename,
        String cwd) {

    public static final long SIZE = 680;

    public static ProcEvent decode(MemorySegment s) {
        if (s.byteSize() < SIZE) {
            throw new IllegalArgumentException("proc event of " + s.byteSize() + " bytes");
        }
        return new ProcEvent(
                s.get(JAVA_INT, 0),
                s.get(JAVA_INT, 4),
                s.get(JAVA_LONG, 8),
                s.get(JAVA_INT, 16),
                s.get(JAVA_INT, 20),
                CString.read(s, 24, 16),
                CString.read(s, 40, 128),
                CString.read(s, 168, 256),
                CString.read(s, 424, 256));
    }

    /** The status a parent's wait(2) would see: exit status, 0 when killed by a signal. */
    public int exitStatus() {
        return (exitCode >> 8) & 0xff;
    }

    /** The signal that ended the process, 0 for a normal exit. */
    public int signal() {
        return exitCode & 0x7f;
    }
}
