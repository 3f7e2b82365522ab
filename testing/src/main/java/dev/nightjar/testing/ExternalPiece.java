package dev.nightjar.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need something outside the JVM (a browser, a database binary, the kernel's eBPF).
 * On a developer's machine a missing piece skips the test and says why; under {@code CI=true} it fails,
 * so CI can never pass by skipping.
 */
public final class ExternalPiece {

    private ExternalPiece() {}

    /** True when running under CI ({@code CI=true} in the environment or {@code -Dnightjar.ci=true}). */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"))
                || "true".equalsIgnoreCase(System.getProperty("nightjar.ci"));
    }

    /** Skips (laptop) or fails (CI) the calling test unless {@code present} holds. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String reason = "missing external piece: " + what;
        if (underCi()) {
            Assertions.fail(reason + " (CI=true: missing pieces fail instead of skipping)");
        }
        System.err.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }
}
