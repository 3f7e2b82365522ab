package dev.nightjar.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The key that encrypts dashboard session cookies. Kept in the data directory so sessions survive a
 * restart; an operator can set {@code QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY} instead (needed when
 * several instances serve the dashboard).
 */
final class SessionKey {
    static final String FILE = "session.key";
    static final String PROPERTY = "quarkus.http.auth.session.encryption-key";

    private SessionKey() {}

    static void ensure(Path dataDir) {
        if (System.getProperty(PROPERTY) != null || System.getenv("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY") != null) {
            return;
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(
                        Files.createFile(
                                file,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        HexFormat.of().formatHex(key));
            }
            System.setProperty(PROPERTY, Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the session key " + file, e);
        }
    }
}
