package dev.nightjar.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.core.metrics.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsAnEntryByTheSameBytesAtAnyOffset() {
        SeriesCache cache = new SeriesCache(16);
        Labels up = Labels.of("__name__", "up");
        byte[] body = bytes("xx__name__=up;yy");
        cache.put(body, 2, 14, up);

        assertThat(cache.get(bytes("__name__=up;"), 0, 12)).isSameAs(up);
        assertThat(cache.get(bytes("____name__=up;__"), 2, 14)).isSameAs(up);
        // The entry owns a copy: changing the request body afterwards changes nothing.
        body[2] = 'X';
        assertThat(cache.get(bytes("__name__=up;"), 0, 12)).isSameAs(up);
    }

    @Test
    void missesOtherBytesOfTheSameLengthAndPrefixes() {
        SeriesCache cache = new SeriesCache(16);
        cache.put(bytes("job=a"), 0, 5, Labels.of("job", "a"));

        assertThat(cache.get(bytes("job=b"), 0, 5)).isNull();
        assertThat(cache.get(bytes("job="), 0, 4)).isNull();
        assertThat(cache.get(bytes("job=aa"), 0, 6)).isNull();
        assertThat(cache.get(new byte[0], 0, 0)).isNull();
    }

    @Test
    void aRepeatedPutKeepsOneEntry() {
        SeriesCache cache = new SeriesCache(16);
        Labels first = Labels.of("job", "a");
        cache.put(bytes("job=a"), 0, 5, first);
        cache.put(bytes("job=a"), 0, 5, Labels.of("job", "a"));

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(bytes("job=a"), 0, 5)).isSameAs(first);
    }

    @Test
    void clearsWhenFullAndRefills() {
        SeriesCache cache = new SeriesCache(100);
        for (int i = 0; i < 100; i++) {
            cache.put(bytes("s" + i), 0, bytes("s" + i).length, Labels.of("s", Integer.toString(i)));
        }
        assertThat(cache.size()).isEqualTo(100);
        assertThat(cache.get(bytes("s7"), 0, 2)).isEqualTo(Labels.of("s", "7"));

        cache.put(bytes("new"), 0, 3, Labels.of("s", "new"));

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(bytes("s7"), 0, 2)).isNull();
        assertThat(cache.get(bytes("new"), 0, 3)).isEqualTo(Labels.of("s", "new"));
    }

    @Test
    void keepsEveryEntryWhileItsKeyBytesOutgrowTheirArrayAndSkipsAKeyTooLargeToKeep() {
        SeriesCache cache = new SeriesCache(10_000);
        String padding = "x".repeat(100);
        for (int i = 0; i < 10_000; i++) {
            byte[] key = bytes(padding + i);
            cache.put(key, 0, key.length, Labels.of("s", Integer.toString(i)));
        }
        assertThat(cache.size()).isEqualTo(10_000);
        for (int i = 0; i < 10_000; i += 7) {
            byte[] key = bytes(padding + i);
            assertThat(cache.get(key, 0, key.length)).isEqualTo(Labels.of("s", Integer.toString(i)));
        }

        byte[] huge = new byte[(64 << 20) + 1];
        cache.put(huge, 0, huge.length, Labels.of("s", "huge"));
        assertThat(cache.get(huge, 0, huge.length)).isNull();
        assertThat(cache.size()).isEqualTo(10_000);
    }

    @Test
    void refusesANonsensicalSize() {
        assertThatThrownBy(() -> new SeriesCache(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SeriesCache(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentReadersNeverSeeAnotherSeriesLabels() throws Exception {
        // Small, so writers clear the table again and again while readers probe it.
        SeriesCache cache = new SeriesCache(64);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                tasks.add(pool.submit(() -> {
                    int hits = 0;
                    for (int i = 0; i < 200_000; i++) {
                        String name = "series_" + ((i * 31 + seed) % 500);
                        byte[] key = bytes(name);
                        Labels found = cache.get(key, 0, key.length);
                        if (found == null) {
                            cache.put(key, 0, key.length, Labels.of("__name__", name));
                        } else {
                            assertThat(found.get("__name__")).isEqualTo(name);
                            hits++;
                        }
                    }
                    return hits;
                }));
            }
            int hits = 0;
            for (Future<Integer> f : tasks) {
                hits += f.get();
            }
            assertThat(hits).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
