package dev.nightjar.core.metrics;

/**
 * Iterates a series' samples in ascending timestamp order without boxing. Call {@link #next()} before
 * the first read.
 */
public interface SampleIterator {

    boolean next();

    long timestamp();

    double value();

    SampleIterator EMPTY = new SampleIterator() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public long timestamp() {
            throw new IllegalStateException("empty");
        }

        @Override
        public double value() {
            throw new IllegalStateException("empty");
        }
    };
}
