package dev.nightjar.sensors.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** NUL-terminated strings inside fixed-size kernel buffers (never trusted to hold a NUL). */
final class CString {

    private CString() {}

    static String read(MemorySegment s, long offset, int capacity) {
        int length = 0;
        while (length < capacity && s.get(ValueLayout.JAVA_BYTE, offset + length) != 0) {
            length++;
        }
        return new String(s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
