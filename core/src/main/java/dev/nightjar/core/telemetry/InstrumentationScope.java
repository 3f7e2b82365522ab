package dev.nightjar.core.telemetry;

import java.util.Objects;

/** The library that emitted telemetry (OTLP {@code InstrumentationScope}); empty strings when unknown. */
public record InstrumentationScope(String name, String version, Attributes attributes) {

    public static final InstrumentationScope EMPTY = new InstrumentationScope("", "", Attributes.EMPTY);

    public InstrumentationScope {
        Objects.requireNonNull(name, "scope name");
        Objects.requireNonNull(version, "scope version");
        Objects.requireNonNull(attributes, "scope attributes");
    }

    public static InstrumentationScope of(String name, String version) {
        return new InstrumentationScope(name, version, Attributes.EMPTY);
    }
}
