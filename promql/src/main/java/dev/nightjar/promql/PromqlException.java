package dev.nightjar.promql;

/** A query that could not be parsed or evaluated; {@link #type()} says which. */
public final class PromqlException extends RuntimeException {

    private final ErrorType type;

    public PromqlException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }

    static PromqlException badData(String message) {
        return new PromqlException(ErrorType.BAD_DATA, message);
    }

    static PromqlException execution(String message) {
        return new PromqlException(ErrorType.EXECUTION, message);
    }
}
