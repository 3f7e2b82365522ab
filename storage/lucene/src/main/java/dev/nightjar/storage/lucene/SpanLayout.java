package dev.nightjar.storage.lucene;

import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;

/** Which span layout a partition was written with: this version reads layout 3 only (module README). */
final class SpanLayout {

    /** Fields only earlier span layouts had, with the layout's number. */
    private static final Map<String, Integer> EARLIER_LAYOUT_FIELDS =
            Map.of("kind", 1, "status", 1, "entry", 1, "edur", 2);

    private SpanLayout() {}

    /**
     * Refuses a span partition written with an earlier layout (1: kind, status and entry as separate fields,
     * the resource fingerprint as doc values; 2: entry spans marked by doc values of their own), before any
     * write could mix the layouts or a query read the fields wrongly.
     */
    static void check(IndexWriter writer, Path path) {
        for (String f : writer.getFieldNames()) {
            Integer layout = EARLIER_LAYOUT_FIELDS.get(f);
            if (layout != null) {
                throw new IllegalStateException("span partition " + path + " has span layout " + layout
                        + " (field '" + f + "'), written by a development build before layout 3; this version"
                        + " reads layout 3 only: delete the partition directory");
            }
        }
    }
}
