package dev.nightjar.sensors.ebpf;

/** Names for the errno values libbpf and the kernel report most often. */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int ENETUNREACH = 101;

    private Errno() {}

    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or entry";
            case EACCES -> "permission denied";
            case EINVAL -> "invalid argument";
            case 7 -> "argument list too long (verifier)";
            case 95 -> "not supported";
            case 524 -> "not supported by this kernel";
            case ETIMEDOUT -> "timed out";
            case ECONNREFUSED -> "connection refused";
            case EHOSTUNREACH -> "host unreachable";
            case ENETUNREACH -> "network unreachable";
            default -> "errno " + errno;
        };
    }
}
