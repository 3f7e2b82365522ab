package dev.nightjar.webapp.logs;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a query off the UI thread with a progress bar and a Cancel button, so a slow query never freezes
 * the page. The app has no server push, so the UI polls while a query runs and stops once it is done.
 * Cancelling drops the answer (the bounded query finishes on its own); a newer query cancels the older one.
 */
public class BackgroundQuery extends HorizontalLayout {
    private static final ExecutorService WORKERS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dashboard-query-", 0).factory());
    private static final int POLL_MS = 300;

    private static final ThreadLocal<AtomicBoolean> CANCELLED = new ThreadLocal<>();

    private final Span label = new Span();
    private Future<?> running;
    private AtomicBoolean runningCancelled = new AtomicBoolean();
    private long generation;
    private int pollBefore = -1;

    public BackgroundQuery(String idPrefix) {
        ProgressBar bar = new ProgressBar();
        bar.setIndeterminate(true);
        bar.setWidth("8em");
        Button cancel = new Button("Cancel", click -> cancel());
        cancel.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        cancel.setId(idPrefix + "-cancel");
        setId(idPrefix + "-progress");
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        add(bar, label, cancel);
        setVisible(false);
    }

    /**
     * Runs {@code work} on a worker and hands its answer to {@code done} (or its failure to {@code
     * failed}) on the UI thread. Inputs that depend on the request (the tenant) must be read before.
     */
    public <T> void run(String what, Supplier<T> work, Consumer<T> done, Consumer<RuntimeException> failed) {
        UI ui = UI.getCurrent();
        cancel();
        long mine = ++generation;
        label.setText(what);
        setVisible(true);
        pollBefore = ui.getPollInterval();
        ui.setPollInterval(POLL_MS);
        AtomicBoolean cancelled = new AtomicBoolean();
        runningCancelled = cancelled;
        running = WORKERS.submit(() -> {
            CANCELLED.set(cancelled);
            T answer;
            RuntimeException error = null;
            try {
                answer = work.get();
            } catch (RuntimeException e) {
                answer = null;
                error = e;
            }
            T result = answer;
            RuntimeException failure = error;
            ui.access(() -> {
                if (mine != generation) {
                    return; // cancelled or superseded
                }
                finish(ui);
                if (failure != null) {
                    failed.accept(failure);
                } else {
                    done.accept(result);
                }
            });
        });
    }

    /** For work with several steps: whether the query running on this thread was cancelled. */
    public static boolean cancelled() {
        AtomicBoolean flag = CANCELLED.get();
        return flag != null && flag.get();
    }

    public boolean busy() {
        return isVisible();
    }

    /** Stops waiting for the current query; its answer, if it comes, is ignored. */
    public void cancel() {
        generation++;
        runningCancelled.set(true);
        if (running != null) {
            // Not interrupted: an interrupt can close a store's open file channels under other readers.
            // A query is bounded, so it ends on its own; its answer is dropped.
            running.cancel(false);
            running = null;
        }
        if (isVisible()) {
            getUI().ifPresent(this::finish);
        }
    }

    private void finish(UI ui) {
        setVisible(false);
        running = null;
        if (pollBefore >= -1 && ui.getPollInterval() == POLL_MS) {
            ui.setPollInterval(pollBefore);
        }
    }
}
