package dev.nightjar.core.telemetry;

import java.util.Objects;

/** The entity that produced telemetry (OTLP {@code Resource}): service, host, pod and so on. */
public record Resource(Attributes attributes) {

    public static final String SERVICE_NAME = "service.name";
    public static final String UNKNOWN_SERVICE = "unknown_service";
    public static final Resource EMPTY = new Resource(Attributes.EMPTY);

    public Resource {
        Objects.requireNonNull(attributes, "resource attributes");
    }

    public static Resource of(Object... keysAndValues) {
        return new Resource(Attributes.of(keysAndValues));
    }

    /** {@code service.name}, or {@value #UNKNOWN_SERVICE} as the OpenTelemetry SDKs default to. */
    public String serviceName() {
        return attributes.getText(SERVICE_NAME).orElse(UNKNOWN_SERVICE);
    }
}
