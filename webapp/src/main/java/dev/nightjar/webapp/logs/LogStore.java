package dev.nightjar.webapp.logs;

import dev.nightjar.core.logs.LogReader;
import dev.nightjar.core.telemetry.StorageComponent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/**
 * Finds the log reader of this instance, if it has one. A UI-only role (or a build without the
 * datastore) has none, and the explorer then says so instead of failing. The server may offer the reader
 * itself or the whole datastore; either is fine.
 */
@ApplicationScoped
public class LogStore {
    private final Instance<LogReader> readers;
    private final Instance<StorageComponent> stores;

    LogStore(Instance<LogReader> readers, Instance<StorageComponent> stores) {
        this.readers = readers;
        this.stores = stores;
    }

    public Optional<LogReader> reader() {
        if (readers.isResolvable()) {
            return Optional.of(readers.get());
        }
        if (stores.isResolvable()) {
            return Optional.of(stores.get().logReader());
        }
        return Optional.empty();
    }
}
