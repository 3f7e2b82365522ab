package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.QueryDeadline;
import java.io.IOException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.ExitableDirectoryReader;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.search.IndexSearcher;

/**
 * Binds a leased searcher to the {@link QueryDeadline} of the calling thread, so a timed-out query stops
 * inside Lucene instead of running on after its caller gave up: {@link ExitableDirectoryReader} consults
 * the deadline while terms, points and doc values are enumerated, and the searcher's timeout between
 * blocks of collected documents. Both throw core's {@code QueryTimeoutException} (from {@link
 * QueryTimeout#shouldExit()}) rather than returning partial results, which Lucene would otherwise do
 * silently.
 */
final class Deadlines {
    private Deadlines() {}

    /** The searcher itself when no deadline is set; otherwise a searcher over the same reader that stops. */
    static IndexSearcher bound(IndexSearcher searcher) throws IOException {
        QueryDeadline deadline = QueryDeadline.current();
        if (deadline == null) {
            return searcher;
        }
        deadline.checkNow();
        return bound(searcher, () -> {
            deadline.checkNow();
            return false;
        });
    }

    static IndexSearcher bound(IndexSearcher searcher, QueryTimeout timeout) throws IOException {
        IndexSearcher bound =
                new IndexSearcher(ExitableDirectoryReader.wrap((DirectoryReader) searcher.getIndexReader(), timeout));
        bound.setQueryCache(searcher.getQueryCache());
        bound.setQueryCachingPolicy(searcher.getQueryCachingPolicy());
        bound.setSimilarity(searcher.getSimilarity());
        bound.setTimeout(timeout);
        return bound;
    }
}
