package dev.nightjar.storage.tsdb;

import dev.nightjar.core.metrics.Labels;
import dev.nightjar.core.metrics.Matcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-memory, writable part of one tenant's database: the series that received samples since the
 * last block was cut. Not thread-safe; {@link TenantDb} guards it with its lock.
 */
final class Head {

    private final long chunkRange;
    private final Map<Labels, HeadSeries> byLabels = new HashMap<>();
    private final Map<Integer, HeadSeries> byId = new HashMap<>();
    private PostingsIndex postings = new PostingsIndex();
    private int nextId = 1;
    long maxTime = Long.MIN_VALUE;
    long minValidTime = Long.MIN_VALUE;

    Head(long chunkRange) {
        this.chunkRange = chunkRange;
    }

    int seriesCount() {
        return byLabels.size();
    }

    HeadSeries get(Labels labels) {
        return byLabels.get(labels);
    }

    HeadSeries byId(int id) {
        return byId.get(id);
    }

    HeadSeries create(Labels labels) {
        return register(nextId, labels);
    }

    /** Registers a series under a known id (WAL replay); an existing series with the labels is reused. */
    HeadSeries register(int id, Labels labels) {
        HeadSeries existing = byLabels.get(labels);
        if (existing != null) {
            byId.put(id, existing);
            return existing;
        }
        HeadSeries series = new HeadSeries(id, labels, chunkRange);
        byLabels.put(labels, series);
        byId.put(id, series);
        nextId = Math.max(nextId, id + 1);
        if (id > lastIndexedId) {
            postings.add(id, labels);
            lastIndexedId = id;
        } else {
            postingsStale = true;
        }
        return series;
    }

    private int lastIndexedId;
    private boolean postingsStale;

    private void ensurePostings() {
        if (!postingsStale) {
            return;
        }
        PostingsIndex fresh = new PostingsIndex();
        TreeMap<Integer, HeadSeries> sorted = new TreeMap<>();
        for (HeadSeries s : byLabels.values()) {
            sorted.put(s.id, s);
        }
        for (HeadSeries s : sorted.values()) {
            fresh.add(s.id, s.labels);
        }
        postings = fresh;
        lastIndexedId = sorted.isEmpty() ? 0 : sorted.lastKey();
        postingsStale = false;
    }

    List<HeadSeries> select(List<Matcher> matchers) {
        ensurePostings();
        int[] ids = postings.select(matchers);
        List<HeadSeries> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            HeadSeries s = byId.get(id);
            if (s != null && s.id == id) {
                out.add(s);
            }
        }
        return out;
    }

    List<HeadSeries> all() {
        return new ArrayList<>(byLabels.values());
    }

    /**
     * The oldest sample held. Every append asks (to decide whether a block is due), so it is kept up to
     * date by {@link #appended} and only recomputed over all series after a truncation.
     */
    long minTime() {
        if (!minTimeKnown) {
            long min = Long.MAX_VALUE;
            for (HeadSeries s : byLabels.values()) {
                min = Math.min(min, s.minTime());
            }
            minTime = min;
            minTimeKnown = true;
        }
        return minTime;
    }

    /** A sample at {@code t} was appended to a series (or was already there). */
    void appended(long t) {
        if (t < minTime) {
            minTime = t;
        }
    }

    private long minTime = Long.MAX_VALUE;
    private boolean minTimeKnown = true;

    /** Drops samples before {@code time} and the series left empty. */
    void truncate(long time) {
        minValidTime = Math.max(minValidTime, time);
        minTimeKnown = false;
        byLabels.values().removeIf(s -> {
            s.dropBefore(time);
            return s.isEmpty();
        });
        // Aliases (a second id for the same labels, from a replayed WAL) stay while their series lives:
        // WAL segments kept after a checkpoint may still name a series by either id.
        byId.values().removeIf(s -> byLabels.get(s.labels) != s);
        postingsStale = true;
    }

    /** Every id that names a live series (aliases included), for a WAL checkpoint. */
    List<WalRecord.SeriesRef> refs() {
        List<WalRecord.SeriesRef> refs = new ArrayList<>(byId.size());
        byId.forEach((id, s) -> refs.add(new WalRecord.SeriesRef(id, s.labels)));
        return refs;
    }
}
