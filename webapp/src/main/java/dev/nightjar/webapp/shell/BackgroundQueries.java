package dev.nightjar.webapp.shell;

import com.vaadin.flow.component.UI;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs dashboard queries off the UI thread so a slow query shows progress and can be cancelled. The
 * UI polls while a query runs (no push channel needed); results are applied with {@link UI#access}.
 * Callers capture the tenant on the UI thread and pass it into the work.
 */
@ApplicationScoped
public class BackgroundQueries {
    private static final int POLL_MILLIS = 250;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "dashboard-query");
        thread.setDaemon(true);
        return thread;
    });

    /** A query in flight; cancel() stops waiting for it and frees the UI at once. */
    public interface Running {
        void cancel();
    }

    public <T> Running run(UI ui, Supplier<T> work, Consumer<T> onResult, Consumer<RuntimeException> onError) {
        ui.setPollInterval(POLL_MILLIS);
        Future<?> future = executor.submit(() -> {
            try {
                T result = work.get();
                ui.access(() -> {
                    ui.setPollInterval(-1);
                    onResult.accept(result);
                });
            } catch (RuntimeException e) {
                ui.access(() -> {
                    ui.setPollInterval(-1);
                    onError.accept(e);
                });
            }
        });
        return () -> {
            future.cancel(true);
            ui.setPollInterval(-1);
        };
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
