package dev.nightjar.core.telemetry;

import java.util.Objects;

/** The answer of {@link StorageComponent#check()}: whether the store can serve reads and writes now. */
public record CheckResult(boolean ok, String detail) {

    public static final CheckResult OK = new CheckResult(true, "ok");

    public CheckResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static CheckResult failed(String detail) {
        return new CheckResult(false, detail);
    }
}
