package dev.thimble.debugger;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The user's breakpoints, part of their workspace state (never written into the app bundle): line
 * breakpoints on bundle paths, break on caught/uncaught exceptions, break on entry to chosen
 * functions. Thread-safe; every change is announced to the listeners, which a
 * {@link FunctionDebugger} uses to update a running session.
 */
public final class Breakpoints {

    /**
     * A line breakpoint.
     *
     * @param path        bundle path, {@code functions/<name>/source.js}
     * @param line        1-based line
     * @param condition   a JS expression; the function stops only when it is truthy; null or blank for none
     * @param enabled     a disabled breakpoint is kept but never stops
     * @param ignoreCount hits to pass before it stops
     */
    public record Line(String path, int line, String condition, boolean enabled, int ignoreCount) {
        public Line {
            Objects.requireNonNull(path, "path");
            if (!Frames.isFunctionSource(path)) {
                throw new IllegalArgumentException("a breakpoint needs a function source path like functions/<name>/source.js"
                        + " (or services/<service>/incoming_webhooks/<webhook>/source.js), not '" + path + "'");
            }
            if (line < 1) {
                throw new IllegalArgumentException("breakpoint line must be 1 or more, not " + line + " (in " + path + ")");
            }
            if (ignoreCount < 0) {
                throw new IllegalArgumentException("ignoreCount must not be negative (breakpoint " + path + ":" + line + ")");
            }
            condition = condition == null || condition.isBlank() ? null : condition;
        }

        public static Line at(String path, int line) {
            return new Line(path, line, null, true, 0);
        }

        /** The path of function {@code name}'s source. */
        public static String pathOf(String functionName) {
            return "functions/" + functionName + "/source.js";
        }

        /** The path of an incoming webhook's source. */
        public static String webhookPath(String service, String webhook) {
            return "services/" + service + "/incoming_webhooks/" + webhook + "/source.js";
        }

        public Line withCondition(String value) {
            return new Line(path, line, value, enabled, ignoreCount);
        }

        public Line withEnabled(boolean value) {
            return new Line(path, line, condition, value, ignoreCount);
        }

        public Line withIgnoreCount(int value) {
            return new Line(path, line, condition, enabled, value);
        }

        String key() {
            return path + ":" + line;
        }
    }

    private final Map<String, Line> lines = new LinkedHashMap<>();
    private final Set<String> entryFunctions = new LinkedHashSet<>();
    private boolean caughtExceptions;
    private boolean uncaughtExceptions;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Adds or replaces the breakpoint at its path and line. */
    public void set(Line breakpoint) {
        synchronized (this) {
            lines.put(breakpoint.key(), breakpoint);
        }
        changed();
    }

    public void remove(String path, int line) {
        boolean removed;
        synchronized (this) {
            removed = lines.remove(path + ":" + line) != null;
        }
        if (removed) {
            changed();
        }
    }

    /** Adds an enabled breakpoint, or removes the one there (the gutter click, Ctrl+F8); true when one is there now. */
    public boolean toggle(String path, int line) {
        boolean added;
        synchronized (this) {
            String key = path + ":" + line;
            added = lines.remove(key) == null;
            if (added) {
                lines.put(key, Line.at(path, line));
            }
        }
        changed();
        return added;
    }

    public void setEnabled(String path, int line, boolean enabled) {
        synchronized (this) {
            Line existing = lines.get(path + ":" + line);
            if (existing == null) {
                throw new IllegalArgumentException("no breakpoint at " + path + ":" + line);
            }
            lines.put(existing.key(), existing.withEnabled(enabled));
        }
        changed();
    }

    /** All line breakpoints, ordered by path and line. */
    public synchronized List<Line> lines() {
        List<Line> all = new ArrayList<>(lines.values());
        all.sort(Comparator.comparing(Line::path).thenComparingInt(Line::line));
        return all;
    }

    public synchronized List<Line> linesIn(String path) {
        return lines().stream().filter(l -> l.path().equals(path)).toList();
    }

    public void breakOnExceptions(boolean caught, boolean uncaught) {
        synchronized (this) {
            caughtExceptions = caught;
            uncaughtExceptions = uncaught;
        }
        changed();
    }

    public synchronized boolean breaksOnCaughtExceptions() {
        return caughtExceptions;
    }

    public synchronized boolean breaksOnUncaughtExceptions() {
        return uncaughtExceptions;
    }

    /** Stop when function {@code name} is entered (from a client, another function, a trigger, ...). */
    public void breakOnEntry(String functionName, boolean on) {
        synchronized (this) {
            if (on) {
                entryFunctions.add(functionName);
            } else {
                entryFunctions.remove(functionName);
            }
        }
        changed();
    }

    public synchronized Set<String> entryFunctions() {
        return Set.copyOf(entryFunctions);
    }

    /** Called after every change, on the changing thread. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ workspace state

    /** The state as a document for the workspace file. */
    public synchronized BsonDocument toDocument() {
        BsonArray array = new BsonArray();
        for (Line l : lines()) {
            BsonDocument doc = new BsonDocument("path", new BsonString(l.path())).append("line", new BsonInt32(l.line()))
                    .append("enabled", BsonBoolean.valueOf(l.enabled())).append("ignoreCount", new BsonInt32(l.ignoreCount()));
            if (l.condition() != null) {
                doc.append("condition", new BsonString(l.condition()));
            }
            array.add(doc);
        }
        BsonArray entries = new BsonArray();
        entryFunctions.forEach(f -> entries.add(new BsonString(f)));
        return new BsonDocument("lines", array).append("entryFunctions", entries)
                .append("caughtExceptions", BsonBoolean.valueOf(caughtExceptions))
                .append("uncaughtExceptions", BsonBoolean.valueOf(uncaughtExceptions));
    }

    /** Reads what {@link #toDocument()} wrote; a malformed entry is an error naming it. */
    public static Breakpoints fromDocument(BsonDocument state) {
        Breakpoints b = new Breakpoints();
        int i = 0;
        for (BsonValue value : state.getArray("lines", new BsonArray())) {
            if (!value.isDocument() || !value.asDocument().isString("path") || !value.asDocument().isNumber("line")) {
                throw new IllegalArgumentException("workspace breakpoints: lines[" + i + "] needs a string path and a number line");
            }
            BsonDocument d = value.asDocument();
            b.lines.put(d.getString("path").getValue() + ":" + d.getNumber("line").intValue(),
                    new Line(d.getString("path").getValue(), d.getNumber("line").intValue(),
                            d.isString("condition") ? d.getString("condition").getValue() : null,
                            d.getBoolean("enabled", BsonBoolean.TRUE).getValue(),
                            d.isNumber("ignoreCount") ? d.getNumber("ignoreCount").intValue() : 0));
            i++;
        }
        state.getArray("entryFunctions", new BsonArray()).forEach(v -> b.entryFunctions.add(v.asString().getValue()));
        b.caughtExceptions = state.getBoolean("caughtExceptions", BsonBoolean.FALSE).getValue();
        b.uncaughtExceptions = state.getBoolean("uncaughtExceptions", BsonBoolean.FALSE).getValue();
        return b;
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }
}
