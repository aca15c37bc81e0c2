package dev.thimble.runtime.logs;

/** How the logged event ended; stored as {@code "success"} or {@code "error"}. */
public enum LogStatus {
    SUCCESS("success"),
    ERROR("error");

    private final String wire;

    LogStatus(String wire) { this.wire = wire; }

    /** The stored and Admin API form. */
    public String wire() { return wire; }

    static LogStatus fromWire(String value) {
        for (LogStatus s : values()) {
            if (s.wire.equals(value)) { return s; }
        }
        throw new IllegalArgumentException("unknown log status '" + value + "' (expected success or error)");
    }
}
