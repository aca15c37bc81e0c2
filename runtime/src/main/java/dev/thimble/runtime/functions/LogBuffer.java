package dev.thimble.runtime.functions;

import java.util.ArrayList;
import java.util.List;

/** One execution's console output, capped in characters; the cap is noted once, as the last line. */
final class LogBuffer {
    private final int cap;
    private final List<LogLine> lines = new ArrayList<>();
    private int used;
    private boolean truncated;

    LogBuffer(int cap) {
        this.cap = cap;
    }

    void add(String level, String message) {
        if (truncated) {
            return;
        }
        if (used + message.length() > cap) {
            int room = cap - used;
            if (room > 0) {
                lines.add(new LogLine(level, message.substring(0, room)));
            }
            lines.add(new LogLine("warn", "... log output truncated: this execution wrote more than " + cap + " characters"));
            used = cap;
            truncated = true;
            return;
        }
        lines.add(new LogLine(level, message));
        used += message.length();
    }

    List<LogLine> lines() {
        return List.copyOf(lines);
    }

    boolean truncated() {
        return truncated;
    }
}
