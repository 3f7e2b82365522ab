package dev.nightjar.sensors.ebpf;

/** A libbpf call failed; {@link #errno()} says why (EPERM when not root, EINVAL for the verifier…). */
public final class BpfException extends RuntimeException {

    private final int errno;

    BpfException(String what, int errno) {
        super(what + " failed: errno " + Math.abs(errno) + " (" + Errno.describe(Math.abs(errno)) + ")");
        this.errno = Math.abs(errno);
    }

    public int errno() {
        return errno;
    }
}
