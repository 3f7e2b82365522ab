package dev.nightjar.core.metrics;

/** A metrics backend: reader, writer and lifecycle. */
public interface MetricsStore extends MetricsWriter, MetricsReader, AutoCloseable {

    /** Throws {@link MetricsStoreException} when the store cannot serve (disk gone, closed). */
    void check();

    @Override
    void close();
}
