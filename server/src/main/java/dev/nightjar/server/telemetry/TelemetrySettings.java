package dev.nightjar.server.telemetry;

import dev.nightjar.core.TenantId;
import dev.nightjar.core.telemetry.RetentionPolicy;
import dev.nightjar.ingest.IngestLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/** The datastore and ingest settings, read once from configuration (see docs/configuration.md). */
record TelemetrySettings(
        Path storageDir,
        Path walDir,
        long minFreeDiskBytes,
        boolean ingestRole,
        String otlpHost,
        int otlpHttpPort,
        int otlpGrpcPort,
        int exportThreads,
        int exportQueue,
        IngestLimits limits,
        Duration checkpointInterval,
        long checkpointBytes,
        RetentionPolicy retention,
        Duration retentionInterval,
        Duration logCompactionInterval,
        Duration logCompactionDelay) {

    static TelemetrySettings from(Config config) {
        Path dataDir = Path.of(config.getValue("nightjar.data-dir", String.class));
        Optional<String> walDir = config.getOptionalValue("nightjar.wal.dir", String.class);
        IngestLimits d = IngestLimits.DEFAULTS;
        IngestLimits limits = new IngestLimits(
                intValue(config, "nightjar.ingest.max-request-bytes", d.maxCompressedBytes()),
                intValue(config, "nightjar.ingest.max-decompressed-bytes", d.maxDecompressedBytes()),
                intValue(config, "nightjar.ingest.max-attributes", d.maxAttributes()),
                intValue(config, "nightjar.ingest.max-value-length", d.maxValueLength()),
                intValue(config, "nightjar.ingest.max-body-length", d.maxBodyLength()),
                d.maxEventsOrLinks(),
                d.maxValueDepth());
        return new TelemetrySettings(
                dataDir.resolve("storage"),
                walDir.filter(s -> !s.isBlank()).map(Path::of).orElse(dataDir.resolve("wal")),
                config.getOptionalValue("nightjar.storage.min-free-bytes", Long.class)
                        .orElse(256L << 20),
                ingestRoleEnabled(
                        config.getOptionalValue("nightjar.roles", String.class).orElse("all")),
                config.getOptionalValue("nightjar.otlp.host", String.class).orElse("0.0.0.0"),
                intValue(config, "nightjar.otlp.http-port", 4318),
                intValue(config, "nightjar.otlp.grpc-port", 4317),
                intValue(config, "nightjar.ingest.threads", 4),
                intValue(config, "nightjar.ingest.queue", 64),
                limits,
                duration(config, "nightjar.wal.checkpoint-interval", "30s"),
                config.getOptionalValue("nightjar.wal.checkpoint-bytes", Long.class)
                        .orElse(256L << 20),
                retention(config),
                duration(config, "nightjar.retention.interval", "1h"),
                logCompactionInterval(config),
                duration(config, "nightjar.storage.log-compaction-delay", "1h"));
    }

    /** {@code nightjar.storage.log-compaction-interval}: a duration, or {@code off} (null: no background merges). */
    private static Duration logCompactionInterval(Config config) {
        String key = "nightjar.storage.log-compaction-interval";
        String v = config.getOptionalValue(key, String.class).orElse("5m").strip();
        return v.equalsIgnoreCase("off") ? null : Durations.parse(key, v);
    }

    private static boolean ingestRoleEnabled(String roles) {
        String r = roles.strip().toLowerCase(Locale.ROOT);
        if (r.isEmpty() || r.equals("all")) {
            return true;
        }
        for (String part : r.split(",")) {
            if (part.strip().equals("ingest")) {
                return true;
            }
        }
        return false;
    }

    /** {@code nightjar.retention.default} and {@code nightjar.retention.tenants=<uuid>=30d,<uuid>=1d}. */
    private static RetentionPolicy retention(Config config) {
        Duration fallback = duration(config, "nightjar.retention.default", "7d");
        Map<TenantId, Duration> overrides = new HashMap<>();
        String list = config.getOptionalValue("nightjar.retention.tenants", String.class)
                .orElse("");
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(
                        "nightjar.retention.tenants entries are <tenant-uuid>=<duration>, got '" + entry.strip() + "'");
            }
            overrides.put(
                    TenantId.parse(entry.substring(0, eq).strip()),
                    Durations.parse("nightjar.retention.tenants", entry.substring(eq + 1)));
        }
        return new RetentionPolicy(fallback, overrides);
    }

    private static int intValue(Config config, String key, int fallback) {
        return config.getOptionalValue(key, Integer.class).orElse(fallback);
    }

    private static Duration duration(Config config, String key, String fallback) {
        return Durations.parse(key, config.getOptionalValue(key, String.class).orElse(fallback));
    }
}
