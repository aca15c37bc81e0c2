package dev.thimble.runtime.changes;

import java.util.Locale;

/** The kinds of change event this source produces, named as MongoDB names them in {@code operationType}. */
public enum OperationType {
    INSERT, UPDATE, REPLACE, DELETE;

    /** The name in a change event, e.g. {@code "insert"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a change event's {@code operationType}, or null for kinds this source does not carry (drop, rename, invalidate…). */
    public static OperationType fromWireName(String name) {
        return switch (name) {
            case "insert" -> INSERT;
            case "update" -> UPDATE;
            case "replace" -> REPLACE;
            case "delete" -> DELETE;
            default -> null;
        };
    }
}
