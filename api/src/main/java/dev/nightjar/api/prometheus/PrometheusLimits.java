package dev.nightjar.api.prometheus;

import dev.nightjar.promql.QueryResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What one Prometheus API call may ask for; beyond it the caller gets a 400 saying which limit. */
@ApplicationScoped
class PrometheusLimits {
    private final Duration maxRange;
    private final int maxSeries;
    private final int maxQueryLength;

    PrometheusLimits(
            @ConfigProperty(name = "nightjar.prometheus.max-range", defaultValue = "P32D") Duration maxRange,
            @ConfigProperty(name = "nightjar.prometheus.max-series", defaultValue = "10000") int maxSeries,
            @ConfigProperty(name = "nightjar.prometheus.max-query-length", defaultValue = "65536") int maxQueryLength) {
        this.maxRange = maxRange;
        this.maxSeries = maxSeries;
        this.maxQueryLength = maxQueryLength;
    }

    int maxSeries() {
        return maxSeries;
    }

    void checkRange(Duration range) {
        if (range.compareTo(maxRange) > 0) {
            throw PrometheusApiException.badData("the query time range " + describe(range) + " exceeds the limit of "
                    + describe(maxRange) + " (nightjar.prometheus.max-range); narrow start and end");
        }
    }

    void checkQueryLength(String query) {
        if (query.length() > maxQueryLength) {
            throw PrometheusApiException.invalidParameter(
                    "query",
                    "query is " + query.length() + " characters long, the limit is " + maxQueryLength
                            + " (nightjar.prometheus.max-query-length)");
        }
    }

    void checkSeriesCount(int count) {
        if (count > maxSeries) {
            throw PrometheusApiException.badData("the answer would have more than " + maxSeries
                    + " series (nightjar.prometheus.max-series); add label matchers to narrow it");
        }
    }

    void checkResultSize(QueryResult result) {
        switch (result) {
            case QueryResult.VectorResult v -> checkSeriesCount(v.samples().size());
            case QueryResult.MatrixResult m -> checkSeriesCount(m.series().size());
            default -> {}
        }
    }

    private static String describe(Duration d) {
        long hours = d.toHours();
        return hours >= 48 ? (hours / 24) + "d" : hours >= 1 ? hours + "h" : d.toSeconds() + "s";
    }
}
