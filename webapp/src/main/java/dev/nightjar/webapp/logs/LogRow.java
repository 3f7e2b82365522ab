package dev.nightjar.webapp.logs;

import dev.nightjar.core.logs.LogRecord;

/** A record as a grid row; {@code seq} gives rows identity, as two records may be equal values. */
record LogRow(long seq, LogRecord record) {

    @Override
    public boolean equals(Object other) {
        return other instanceof LogRow row && row.seq == seq;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }
}
