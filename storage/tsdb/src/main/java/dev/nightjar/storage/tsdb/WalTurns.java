package dev.nightjar.storage.tsdb;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps WAL records in the order their appends changed the head while letting the appends encode them
 * in parallel. An append takes a ticket as the last step under the tenant's write lock, encodes its
 * records with no lock held, then waits for its turn, writes and passes the turn on: only the write
 * itself is serialised, where one order lock held from the head change to the written record also
 * serialised the encoding (and kept the next appender, waiting for that lock under the write lock, from
 * releasing the write lock).
 */
final class WalTurns {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    // Written only under the tenant's write lock.
    private long issued;
    // Guarded by lock.
    private long next;

    /** The next ticket; the caller holds the tenant's write lock, so tickets follow head-change order. */
    long take() {
        return issued++;
    }

    /** Blocks until every earlier ticket has been passed on. Uninterruptible: a skipped turn would stall all later ones. */
    void await(long ticket) {
        lock.lock();
        try {
            while (next != ticket) {
                advanced.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the current turn; called exactly once per ticket, after {@link #await}, also when the write failed. */
    void pass() {
        lock.lock();
        try {
            next++;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every ticket issued so far is done; the caller holds the tenant's write lock (none issued meanwhile). */
    void drain() {
        await(issued);
    }
}
