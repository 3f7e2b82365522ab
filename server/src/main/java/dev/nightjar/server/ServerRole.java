package dev.nightjar.server;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of Nightjar one process can play. One artifact runs them all on a laptop, or one role per
 * deployment when scaled out on Kubernetes (see docs/architecture.md).
 */
enum ServerRole {
    INGEST,
    QUERY,
    UI,
    ALERTING,
    AI;

    /** Parses {@code nightjar.roles}: {@code all}, or a comma-separated list of role names. */
    static Set<ServerRole> parse(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("all")) {
            return EnumSet.allOf(ServerRole.class);
        }
        EnumSet<ServerRole> roles = EnumSet.noneOf(ServerRole.class);
        for (String part : value.split(",")) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            try {
                roles.add(valueOf(name));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException(
                        "unknown role '" + part.strip() + "' in nightjar.roles; use all or a list of "
                                + "ingest, query, ui, alerting, ai",
                        unknown);
            }
        }
        return roles;
    }

    /** Which role serves an HTTP path; null for paths every role serves (health, metrics, OpenAPI). */
    static ServerRole forPath(String path) {
        if (path.startsWith("/q/")) {
            return null;
        }
        if (path.startsWith("/v1/") || path.equals("/api/v1/write") || path.startsWith("/api/v1/otlp")) {
            return INGEST;
        }
        if (path.startsWith("/api/") || path.startsWith("/jaeger/") || path.startsWith("/prometheus/")) {
            return QUERY;
        }
        return UI;
    }
}
