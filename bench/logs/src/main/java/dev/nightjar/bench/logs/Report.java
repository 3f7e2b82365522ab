package dev.nightjar.bench.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The Markdown lines a run prints, kept to be written to {@code results.md} at the end. */
final class Report {

    private final StringBuilder text = new StringBuilder();

    void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        text.append(s).append('\n');
    }

    void writeTo(Path file) throws IOException {
        Files.writeString(file, text);
        System.out.println("\nwritten to " + file);
    }
}
