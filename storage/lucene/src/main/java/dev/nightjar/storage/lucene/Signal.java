package dev.nightjar.storage.lucene;

import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;

/** The two kinds of index, each with its directory name and the order its segments are sorted in. */
enum Signal {
    LOGS(
            "logs",
            new Sort(
                    new SortField(LogIndex.TS, SortField.Type.LONG, true),
                    new SortField(LogIndex.ID, SortField.Type.LONG, true))),
    SPANS(
            "spans",
            new Sort(
                    new SortField(SpanIndex.START, SortField.Type.LONG, true),
                    new SortField(SpanIndex.SID, SortField.Type.LONG, true)));

    final String dirName;
    /** Newest first: queries in this order stop early in each segment. */
    final Sort sort;

    Signal(String dirName, Sort sort) {
        this.dirName = dirName;
        this.sort = sort;
    }
}
