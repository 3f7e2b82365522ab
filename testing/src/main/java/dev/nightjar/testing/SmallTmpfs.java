package dev.nightjar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted over a test's directory, so a test can fill a real filesystem (disk-full
 * behaviour) without touching the machine's disks. Needs root with CAP_SYS_ADMIN; without it the
 * test skips, or fails under CI, through {@link ExternalPiece}.
 */
public final class SmallTmpfs implements AutoCloseable {
    private final Path mountPoint;

    private SmallTmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code size} (as {@code mount -o size=}, e.g. {@code "2m"}) over the directory. */
    public static SmallTmpfs mount(Path mountPoint, String size) {
        ExternalPiece.require("root".equals(System.getProperty("user.name")), "root, to mount a small tmpfs");
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString()) == 0;
        ExternalPiece.require(mounted, "mount -t tmpfs (root in a container may lack CAP_SYS_ADMIN)");
        return new SmallTmpfs(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Unmounts lazily, so a file a stopped process still held open cannot keep the mount alive. */
    @Override
    public void close() {
        run("umount", "-l", mountPoint.toString());
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
