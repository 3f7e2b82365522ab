package dev.nightjar.sensors.event;

/** Which side of a connection the observed process is on. */
public enum Role {
    UNKNOWN,
    CLIENT,
    SERVER;

    static Role of(int code) {
        return code == 1 ? CLIENT : code == 2 ? SERVER : UNKNOWN;
    }
}
