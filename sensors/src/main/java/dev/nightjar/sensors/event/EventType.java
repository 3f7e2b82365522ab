package dev.nightjar.sensors.event;

/** Event type numbers from bpf/src/nightjar.h. */
public final class EventType {

    public static final int TCP_LISTEN = 1;
    public static final int TCP_LISTEN_CLOSE = 2;
    public static final int TCP_CONNECTED = 3;
    public static final int TCP_CONNECT_FAILED = 4;
    public static final int TCP_ACCEPTED = 5;
    public static final int TCP_CLOSED = 6;
    public static final int TCP_RETRANSMIT = 7;
    public static final int TCP_RESET_SENT = 8;
    public static final int TCP_RESET_RECEIVED = 9;
    public static final int PROC_FORK = 20;
    public static final int PROC_EXEC = 21;
    public static final int PROC_EXIT = 22;
    public static final int DNS = 30;
    public static final int L7_REQUEST = 40;
    public static final int L7_RESPONSE = 41;
    public static final int L7_HTTP_PATH = 42;
    public static final int L7_HTTP_SPAN = 43;

    private EventType() {}
}
