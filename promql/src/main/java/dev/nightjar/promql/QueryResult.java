package dev.nightjar.promql;

import dev.nightjar.core.metrics.Labels;
import java.util.List;

/** What a query returns, in the four shapes of Prometheus' API ({@code resultType}). */
public sealed interface QueryResult {

    /** Prometheus' {@code resultType} name. */
    String resultType();

    record ScalarResult(long timestampMs, double value) implements QueryResult {
        @Override
        public String resultType() {
            return "scalar";
        }
    }

    record StringResult(long timestampMs, String value) implements QueryResult {
        @Override
        public String resultType() {
            return "string";
        }
    }

    record VectorResult(List<VectorSample> samples) implements QueryResult {
        public VectorResult {
            samples = List.copyOf(samples);
        }

        @Override
        public String resultType() {
            return "vector";
        }
    }

    /** Series sorted by labels, each with points in time order. */
    record MatrixResult(List<RangeSeries> series) implements QueryResult {
        public MatrixResult {
            series = List.copyOf(series);
        }

        @Override
        public String resultType() {
            return "matrix";
        }
    }

    record VectorSample(Labels labels, long timestampMs, double value) {}

    record RangeSeries(Labels labels, long[] timestampsMs, double[] values) {
        public int size() {
            return timestampsMs.length;
        }
    }
}
