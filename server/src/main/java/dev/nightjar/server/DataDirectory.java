package dev.nightjar.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The directory Nightjar keeps everything in when it runs on embedded storage. */
final class DataDirectory {
    static final String POSTGRES = "postgres";
    static final String STORAGE = "storage";

    private DataDirectory() {}

    static Path prepare(Path dataDir) {
        try {
            Files.createDirectories(dataDir.resolve(STORAGE));
            if (!Files.isWritable(dataDir)) {
                throw new IllegalStateException("data directory " + dataDir + " is not writable");
            }
            return dataDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
    }
}
