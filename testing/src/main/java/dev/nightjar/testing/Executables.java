package dev.nightjar.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds programs a test drives (Chromium, chromedriver, database servers) on this machine. */
public final class Executables {

    private Executables() {}

    /** The first candidate that exists and is executable, searching PATH for bare names. */
    public static Optional<Path> find(String... candidates) {
        for (String candidate : candidates) {
            if (candidate.contains("/")) {
                Path path = Path.of(candidate);
                if (Files.isExecutable(path)) {
                    return Optional.of(path);
                }
                continue;
            }
            String pathVar = System.getenv().getOrDefault("PATH", "");
            Optional<Path> onPath = Stream.of(pathVar.split(":"))
                    .filter(dir -> !dir.isBlank())
                    .map(dir -> Path.of(dir, candidate))
                    .filter(Files::isExecutable)
                    .findFirst();
            if (onPath.isPresent()) {
                return onPath;
            }
        }
        return Optional.empty();
    }
}
