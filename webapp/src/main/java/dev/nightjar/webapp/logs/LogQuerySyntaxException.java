package dev.nightjar.webapp.logs;

/** A query the user typed that cannot be run; the message is shown next to the query box as text. */
final class LogQuerySyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    LogQuerySyntaxException(String message) {
        super(message);
    }
}
