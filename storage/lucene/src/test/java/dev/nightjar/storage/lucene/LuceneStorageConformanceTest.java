package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.StorageComponent;
import dev.nightjar.storage.testkit.telemetry.DurabilityConformance;
import dev.nightjar.storage.testkit.telemetry.LifecycleConformance;
import dev.nightjar.storage.testkit.telemetry.LogAggregationConformance;
import dev.nightjar.storage.testkit.telemetry.LogContentConformance;
import dev.nightjar.storage.testkit.telemetry.LogFilterConformance;
import dev.nightjar.storage.testkit.telemetry.LogSearchConformance;
import dev.nightjar.storage.testkit.telemetry.RedConformance;
import dev.nightjar.storage.testkit.telemetry.RetentionConformance;
import dev.nightjar.storage.testkit.telemetry.TenancyConformance;
import dev.nightjar.storage.testkit.telemetry.TraceConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The Lucene store runs the whole conformance suite, on real indexes on disk. */
class LuceneStorageConformanceTest {

    static StorageComponent create(Path dir) {
        // no background commit in tests: durability must come from commit() and close() alone
        return new LuceneStorage(
                LuceneStorageConfig.defaults(dir).withCommitInterval(null).withRamBufferMb(16));
    }

    @Nested
    class Search extends LogSearchConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Filters extends LogFilterConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Content extends LogContentConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Aggregation extends LogAggregationConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Traces extends TraceConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Red extends RedConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Tenancy extends TenancyConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Retention extends RetentionConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Lifecycle extends LifecycleConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }

    @Nested
    class Durability extends DurabilityConformance {
        @Override
        protected StorageComponent newStorage(Path dataDir) {
            return create(dataDir);
        }
    }
}
