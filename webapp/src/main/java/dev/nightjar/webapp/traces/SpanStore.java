package dev.nightjar.webapp.traces;

import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.traces.SpanReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/**
 * Finds the span reader of this instance, if it has one: the server may offer the reader itself or the
 * whole datastore. A UI-only role has neither, and the explorer says so instead of failing.
 */
@ApplicationScoped
public class SpanStore {
    private final Instance<SpanReader> readers;
    private final Instance<StorageComponent> stores;

    SpanStore(Instance<SpanReader> readers, Instance<StorageComponent> stores) {
        this.readers = readers;
        this.stores = stores;
    }

    public Optional<SpanReader> reader() {
        if (readers.isResolvable()) {
            return Optional.of(readers.get());
        }
        if (stores.isResolvable()) {
            return Optional.of(stores.get().spanReader());
        }
        return Optional.empty();
    }
}
