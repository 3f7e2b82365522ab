package dev.nightjar.storage.testkit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.logs.LogRecord;
import dev.nightjar.core.telemetry.StorageOverCapacityException;
import dev.nightjar.core.telemetry.memory.InMemoryStorage;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryCapacityTest {

    @Test
    void aBatchPastTheBoundIsRefusedWholeAndRetryable() {
        try (InMemoryStorage storage = new InMemoryStorage(3)) {
            TenantId t = TenantId.of(UUID.randomUUID());
            LogRecord r = LogRecord.builder().timeUnixNano(1_000).body("x").build();
            storage.logWriter().write(t, List.of(r, r));
            assertThatThrownBy(() -> storage.logWriter().write(t, List.of(r, r)))
                    .isInstanceOf(StorageOverCapacityException.class)
                    .satisfies(e -> assertThat(((StorageOverCapacityException) e).retryAfter())
                            .isPositive());
            storage.logWriter().write(t, List.of(r));
        }
    }
}
