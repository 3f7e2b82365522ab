package dev.nightjar.promql;

/** Prometheus' API error types, so an HTTP layer can answer exactly as Prometheus does. */
public enum ErrorType {
    /** The query is malformed (parse or type error): HTTP 400. */
    BAD_DATA("bad_data"),
    /** The query was valid but failed while running (limits, duplicate series): HTTP 422. */
    EXECUTION("execution"),
    /** The query ran out of time: HTTP 503. */
    TIMEOUT("timeout"),
    /** The caller cancelled the query. */
    CANCELED("canceled");

    private final String apiName;

    ErrorType(String apiName) {
        this.apiName = apiName;
    }

    /** The {@code errorType} string of Prometheus' HTTP API. */
    public String apiName() {
        return apiName;
    }
}
