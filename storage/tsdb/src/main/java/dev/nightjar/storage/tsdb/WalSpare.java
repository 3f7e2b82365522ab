package dev.nightjar.storage.tsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The WAL's next segment, written out as zeros ahead of time on a background executor and renamed into
 * place ({@code NNNNNNNN.wal}). Records written over blocks a file already owns let fdatasync flush
 * data only; a growing file makes every fdatasync also commit its new size to the ext4 journal, where
 * it queues behind block writes and deletes. At most one spare exists at a time. Every method but the
 * background task runs under the WAL's write lock, which the task takes around its state changes.
 */
final class WalSpare {

    private enum State {
        NONE,
        PREPARING,
        RENAMED,
        READY
    }

    private final Path dir;
    private final long maxBytes;
    private final Executor executor;
    private final Object lock;
    private State state = State.NONE;
    private int number;
    // The WAL's current segment and whether it is closed, as last told.
    private int current;
    private boolean closed;

    WalSpare(Path dir, long maxBytes, Executor executor, Object lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.executor = executor;
        this.lock = lock;
    }

    boolean pending() {
        return state != State.NONE;
    }

    /** Whether segment {@code n} exists as a spare (renamed into place) to move on to. */
    boolean existsFor(int n) {
        return number == n && (state == State.RENAMED || state == State.READY);
    }

    /** Whether segment {@code n} is a spare whose directory entry is durable, so moving on is cheap. */
    boolean readyFor(int n) {
        return number == n && state == State.READY;
    }

    /** The WAL moved on to segment {@code n} (its spare or a new file); a spare for it is used up. */
    void segmentOpened(int n) {
        current = n;
        if (number <= n) {
            state = State.NONE;
        }
    }

    /** Schedules segment {@code current + 1} as about {@code bytes} of zeros (whole MiB, at most a segment). */
    void prepare(long bytes) {
        if (executor == null || maxBytes < Wal.PREALLOCATE_AFTER || closed || state != State.NONE) {
            return;
        }
        int n = current + 1;
        long mib = (Math.max(bytes, Wal.PREALLOCATE_AFTER) + Wal.PREALLOCATE_AFTER - 1) / Wal.PREALLOCATE_AFTER;
        long size = Math.min(maxBytes, mib * Wal.PREALLOCATE_AFTER);
        state = State.PREPARING;
        number = n;
        try {
            executor.execute(() -> write(n, size));
        } catch (RejectedExecutionException e) {
            state = State.NONE;
        }
    }

    private boolean wanted(int n) {
        return !closed && current < n && number == n;
    }

    private void write(int n, long size) {
        Path tmp = dir.resolve(WalFiles.segmentName(n) + WalFiles.PREALLOCATING);
        try {
            synchronized (lock) {
                if (!wanted(n)) {
                    return;
                }
            }
            WalFiles.writeZeros(tmp, size);
            synchronized (lock) {
                if (!wanted(n)) {
                    Files.deleteIfExists(tmp);
                    return;
                }
                Files.move(tmp, dir.resolve(WalFiles.segmentName(n)), StandardCopyOption.ATOMIC_MOVE);
                state = State.RENAMED;
            }
            TsdbFiles.syncDirectory(dir);
            synchronized (lock) {
                if (number == n && state == State.RENAMED) {
                    state = State.READY;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // No spare this time (a full disk, a closed store): the log grows its segment instead.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Deleted on the next open.
            }
            synchronized (lock) {
                if (number == n && state == State.PREPARING) {
                    state = State.NONE;
                }
            }
        }
    }

    /** No more spares; an unused one is deleted (it holds only zeros, but takes disk until replay). */
    void close() throws IOException {
        closed = true;
        if (state == State.RENAMED || state == State.READY) {
            Files.deleteIfExists(dir.resolve(WalFiles.segmentName(number)));
        }
        state = State.NONE;
    }
}
