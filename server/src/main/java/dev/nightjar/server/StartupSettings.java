package dev.nightjar.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The few settings needed before Quarkus' configuration exists. Each can come from an environment
 * variable or the matching system property; everything else is read through Quarkus config.
 */
record StartupSettings(Path dataDir, boolean externalDatabase) {
    static final String DATA_DIR_ENV = "NIGHTJAR_DATA_DIR";
    static final String DATA_DIR_PROPERTY = "nightjar.data-dir";
    static final String DB_URL_ENV = "NIGHTJAR_DB_URL";
    static final String DB_URL_PROPERTY = "nightjar.db.url";

    static StartupSettings fromEnvironment(Map<String, String> env, Properties properties) {
        String dataDir = first(properties.getProperty(DATA_DIR_PROPERTY), env.get(DATA_DIR_ENV), "./data");
        String dbUrl = first(properties.getProperty(DB_URL_PROPERTY), env.get(DB_URL_ENV), "");
        return new StartupSettings(Path.of(dataDir).toAbsolutePath().normalize(), !dbUrl.isBlank());
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return fallback;
    }
}
