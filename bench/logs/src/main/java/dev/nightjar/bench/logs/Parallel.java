package dev.nightjar.bench.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Writes pre-made batches with a number of threads, each taking the next unwritten batch. */
final class Parallel {

    interface BatchSink<T> {
        void write(List<T> batch) throws Exception;
    }

    private Parallel() {}

    static <T> void run(int threads, List<List<T>> batches, BatchSink<T> sink) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int i = 0; i < threads; i++) {
            Thread w = new Thread(() -> {
                try {
                    for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                        sink.write(batches.get(b));
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
