package dev.nightjar.storage.lucene;

import dev.nightjar.core.telemetry.QueryDeadline;
import java.io.IOException;
import java.util.Collection;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/** Visits every document matching a query, segment by segment, for doc-values aggregations. */
final class Scan {
    private static final int CHECK_EVERY = 4096;

    /** Called once per segment; returns what to do with each matching document of it. */
    interface Leaf {
        DocVisitor open(LeafReaderContext context) throws IOException;
    }

    interface DocVisitor {
        void visit(int doc) throws IOException;
    }

    private Scan() {}

    /** Searchers here have no executor, so segments are visited one after another on this thread. */
    static void run(IndexSearcher searcher, Query query, Leaf leaf) throws IOException {
        searcher.search(query, new CollectorManager<Collector, Void>() {
            @Override
            public Collector newCollector() {
                return new Collector() {
                    @Override
                    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
                        QueryDeadline.check();
                        DocVisitor visitor = leaf.open(context);
                        return new LeafCollector() {
                            private int sinceCheck;

                            @Override
                            public void setScorer(Scorable scorer) {}

                            @Override
                            public void collect(int doc) throws IOException {
                                // a scan may visit millions of documents: stop it when the query's time is up
                                if (++sinceCheck == CHECK_EVERY) {
                                    sinceCheck = 0;
                                    QueryDeadline.check();
                                }
                                visitor.visit(doc);
                            }
                        };
                    }

                    @Override
                    public ScoreMode scoreMode() {
                        return ScoreMode.COMPLETE_NO_SCORES;
                    }
                };
            }

            @Override
            public Void reduce(Collection<Collector> collectors) {
                return null;
            }
        });
    }
}
