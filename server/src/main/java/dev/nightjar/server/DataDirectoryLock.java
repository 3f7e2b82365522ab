package dev.nightjar.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Nightjar per data directory. The lock is held for the life of the process and released by the
 * kernel however the process ends, so after a crash the next start knows that whatever was left
 * running under this directory (the embedded PostgreSQL) is an orphan it may stop.
 */
final class DataDirectoryLock {
    static final String FILE = "nightjar.lock";

    // Held in a static so the lock lives as long as the JVM.
    private static FileLock held;

    private DataDirectoryLock() {}

    static synchronized void acquire(Path dataDir) {
        if (held != null) {
            return;
        }
        try {
            FileChannel channel =
                    FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another Nightjar is running with the data directory " + dataDir
                        + "; stop it or set NIGHTJAR_DATA_DIR to another directory");
            }
            held = lock;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data directory " + dataDir, e);
        }
    }
}
