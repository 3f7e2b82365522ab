package dev.nightjar.bench.logs;

import static dev.nightjar.bench.logs.Measure.END;
import static dev.nightjar.bench.logs.Measure.TENANT;
import static dev.nightjar.bench.logs.Measure.ms;
import static dev.nightjar.bench.logs.Measure.time;

import dev.nightjar.core.TimeRange;
import dev.nightjar.core.logs.LogFilter;
import dev.nightjar.core.logs.LogHistogramQuery;
import dev.nightjar.core.logs.LogQuery;
import dev.nightjar.core.logs.SeverityLevel;
import dev.nightjar.core.logs.TopValuesQuery;
import dev.nightjar.core.telemetry.FieldRef;
import dev.nightjar.storage.lucene.LuceneStorage;
import java.time.Duration;

/** The log query figures, over a store holding the generated records of the last 24 hours. */
final class LogQueries {

    private LogQueries() {}

    static void run(Report report, LuceneStorage store, int logs, long needleEvery) {
        TimeRange all = new TimeRange(END.minus(Duration.ofHours(25)), END.plusSeconds(60));
        int needles = (int) (logs / needleEvery);
        long[] needleNs = new long[needles];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int k = 0; k < needles; k++) {
                LogQuery q = LogQuery.of(
                        LogFilter.builder(all).term(Generator.needle(k)).build(), 100);
                long t0 = System.nanoTime();
                int found = store.logReader().search(TENANT, q).records().size();
                needleNs[k] = System.nanoTime() - t0;
                if (found != 1) {
                    throw new IllegalStateException("needle " + k + " found " + found + " times");
                }
            }
        }
        report.line(
                "| needle full-text search, 25 h range, %,d records | p50 **%.1f ms**, p99 %.1f ms (%d distinct needles) |",
                logs, ms(needleNs, 0.5), ms(needleNs, 0.99), needles);

        TimeRange lastHour = new TimeRange(END.minus(Duration.ofHours(1)), END);
        long[] page = time(
                50,
                () -> store.logReader()
                        .search(
                                TENANT,
                                LogQuery.of(
                                        LogFilter.builder(all)
                                                .resource("service.name", "checkout")
                                                .severity(SeverityLevel.ERROR)
                                                .build(),
                                        100)));
        report.line("| newest 100 of service.name=checkout AND level=ERROR, 25 h | p50 %.1f ms |", ms(page, 0.5));
        long[] broad = time(50, () -> store.logReader().search(TENANT, LogQuery.of(LogFilter.of(all), 100)));
        report.line("| newest 100 records, no filter, 25 h | p50 %.1f ms |", ms(broad, 0.5));
        long[] hist = time(
                20,
                () -> store.logReader()
                        .histogram(TENANT, new LogHistogramQuery(LogFilter.of(lastHour), Duration.ofMinutes(1))));
        report.line("| histogram 1 h x 1 min x severity (~%,d records) | p50 %.1f ms |", logs / 24, ms(hist, 0.5));
        long[] top = time(
                20,
                () -> store.logReader()
                        .topValues(
                                TENANT,
                                new TopValuesQuery(LogFilter.of(lastHour), FieldRef.resource("k8s.pod.name"), 10)));
        report.line("| top 10 k8s.pod.name, 1 h | p50 %.1f ms |", ms(top, 0.5));
    }
}
