package dev.nightjar.storage.testkit.telemetry;

import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;

/** The in-memory reference store runs the whole conformance suite. */
class InMemoryStorageConformanceTest {

    static StorageComponent create() {
        return new InMemoryStorage();
    }

    @Nested
    class Search extends LogSearchConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Filters extends LogFilterConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Content extends LogContentConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Aggregation extends LogAggregationConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Traces extends TraceConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Red extends RedConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Tenancy extends TenancyConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Retention extends RetentionConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    class Lifecycle extends LifecycleConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }

    @Nested
    @Disabled("the in-memory store keeps nothing across restarts by design; it is a reference, not a database")
    class Durability extends DurabilityConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create();
        }
    }
}
