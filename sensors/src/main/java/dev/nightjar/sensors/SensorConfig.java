package dev.nightjar.sensors;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Settings from a properties file, overridden by the environment (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_HEADERS, NIGHTJAR_SENSOR_*). Every value is validated and bounded.
 */
public record SensorConfig(
        String endpoint,
        Map<String, String> headers,
        long intervalMillis,
        Path bufferDir,
        long bufferMaxBytes,
        Set<Feature> features) {

    private static final long MAX_FILE = 64 * 1024;

    public static SensorConfig load(Path file, Map<String, String> env) throws IOException {
        Properties p = new Properties();
        if (file != null) {
            if (Files.size(file) > MAX_FILE) {
                throw new IllegalArgumentException("config file " + file + " is larger than 64 KiB");
            }
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        String endpoint = pick(env, "OTEL_EXPORTER_OTLP_ENDPOINT", p, "endpoint", "http://127.0.0.1:4318");
        if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new IllegalArgumentException("endpoint must be an http(s) URL: " + endpoint);
        }
        return new SensorConfig(
                endpoint,
                parseHeaders(pick(env, "OTEL_EXPORTER_OTLP_HEADERS", p, "headers", "")),
                bounded(pick(env, "NIGHTJAR_SENSOR_INTERVAL_MS", p, "interval.ms", "15000"), 100, 3_600_000),
                Path.of(pick(env, "NIGHTJAR_SENSOR_BUFFER_DIR", p, "buffer.dir", "/var/lib/nightjar-sensor/buffer")),
                bounded(
                        pick(env, "NIGHTJAR_SENSOR_BUFFER_MAX_BYTES", p, "buffer.max.bytes", "67108864"),
                        1024,
                        1L << 40),
                parseFeatures(pick(env, "NIGHTJAR_SENSOR_FEATURES", p, "features", "network,process,dns,l7")));
    }

    private static String pick(Map<String, String> env, String envName, Properties p, String key, String fallback) {
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        return p.getProperty(key, fallback).strip();
    }

    private static long bounded(String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + value);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(value + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    /** W3C-baggage-like "k1=v1,k2=v2" as the OTel spec defines it; values may be %-encoded. */
    static Map<String, String> parseHeaders(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw.isBlank()) {
            return out;
        }
        if (raw.length() > 8192) {
            throw new IllegalArgumentException("OTLP headers longer than 8 KiB");
        }
        for (String pair : raw.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("header without name=value");
            }
            String name = pair.substring(0, eq).strip();
            String value =
                    java.net.URLDecoder.decode(pair.substring(eq + 1).strip(), java.nio.charset.StandardCharsets.UTF_8);
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("invalid header " + name.replaceAll("[^A-Za-z0-9-]", "?"));
            }
            out.put(name, value);
        }
        return out;
    }

    static Set<Feature> parseFeatures(String raw) {
        Set<Feature> out = EnumSet.noneOf(Feature.class);
        for (String name : raw.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                out.add(Feature.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown feature '" + name.strip() + "' (network, process, dns, l7, syscalls)");
            }
        }
        return out;
    }

    /** For logs: never the header values (they carry API keys). */
    public String describe() {
        return "endpoint=" + endpoint + " headers=" + headers.keySet() + " interval=" + intervalMillis + "ms buffer="
                + bufferDir + " (max " + bufferMaxBytes + " bytes) features=" + features;
    }
}
