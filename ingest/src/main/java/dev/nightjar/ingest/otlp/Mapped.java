package dev.nightjar.ingest.otlp;

import java.util.List;

/**
 * The items of one export request that passed validation, how many did not, and the first reason.
 *
 * @param firstError empty when nothing was rejected
 */
public record Mapped<T>(List<T> accepted, long rejected, String firstError) {

    public String errorMessage() {
        return rejected == 0 ? "" : rejected + " item(s) rejected; first: " + firstError;
    }
}
