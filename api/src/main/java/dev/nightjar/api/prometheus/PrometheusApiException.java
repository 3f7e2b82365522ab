package dev.nightjar.api.prometheus;

/** An error answered in Prometheus' shape: {@code {"status":"error","errorType":…,"error":…}}. */
final class PrometheusApiException extends RuntimeException {
    private final String errorType;
    private final int status;

    PrometheusApiException(String errorType, int status, String message) {
        super(message);
        this.errorType = errorType;
        this.status = status;
    }

    static PrometheusApiException badData(String message) {
        return new PrometheusApiException("bad_data", 400, message);
    }

    static PrometheusApiException invalidParameter(String name, String reason) {
        return badData("invalid parameter \"" + name + "\": " + reason);
    }

    String errorType() {
        return errorType;
    }

    int status() {
        return status;
    }

    /** HTTP status Prometheus uses for each error type. */
    static int statusOf(String errorType) {
        return switch (errorType) {
            case "bad_data" -> 400;
            case "execution" -> 422;
            case "canceled" -> 499;
            case "timeout", "unavailable" -> 503;
            case "not_found" -> 404;
            default -> 500;
        };
    }
}
