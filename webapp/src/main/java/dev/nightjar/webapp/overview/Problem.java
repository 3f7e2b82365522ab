package dev.nightjar.webapp.overview;

/** Something on the overview's "recent problems" list; every text part is shown as plain text. */
record Problem(Kind kind, String subject, String detail) {
    enum Kind {
        ERROR_SPIKE("Error spike"),
        FAILING_CONNECTIONS("Failing connections"),
        CRASH_LOOP("Crash loop");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }
}
