package dev.thimble.debugger;

import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.debug.DebugException;
import com.oracle.truffle.api.debug.DebugStackFrame;
import com.oracle.truffle.api.frame.FrameInstance;
import com.oracle.truffle.api.source.SourceSection;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a breakpoint's real arrivals at a line from the re-entries GraalJS makes when an async
 * function resumes after an {@code await} on that line: the engine runs the statement again (on the
 * same generator frame), and Truffle reports it as one more hit.
 *
 * <p>When a breakpoint stops on a statement whose first line holds {@code await}s, it remembers, for
 * that function activation (its frame object, which a resumption reuses) and line, how many
 * resumptions to expect; each such re-entry is then passed over once. A loop arriving at the line
 * again after the await resumed stops as it should. Only known gap: an {@code await} on the line that
 * is not reached (a short-circuited {@code cond && await f()}) makes the next real arrival in that
 * same activation pass unnoticed. Used on execution threads only; synchronized for the shared map.
 */
final class AwaitResumptions {
    private static final Pattern AWAIT = Pattern.compile("\\bawait\\b");
    private static final Class<? extends TruffleLanguage<?>> JS = javaScriptLanguage();

    /** activation frame → line → resumptions still expected; weak so finished activations go. */
    private final Map<Object, Map<Integer, Integer>> pending = new WeakHashMap<>();

    /** True when this suspension at {@code top} is a resumption after an await to pass over. */
    synchronized boolean isResumption(DebugStackFrame top) {
        Object activation = activation(top);
        if (activation == null) {
            return false;
        }
        Map<Integer, Integer> lines = pending.get(activation);
        int line = top.getSourceSection().getStartLine();
        Integer expected = lines == null ? null : lines.get(line);
        if (expected == null || expected <= 0) {
            return false;
        }
        if (expected == 1) {
            lines.remove(line);
        } else {
            lines.put(line, expected - 1);
        }
        return true;
    }

    /** Records a real stop at {@code top}: the awaits on its line will each bring it back once. */
    synchronized void stopped(DebugStackFrame top) {
        Object activation = activation(top);
        SourceSection section = top.getSourceSection();
        if (activation == null || section == null) {
            return;
        }
        int awaits = awaitsOnFirstLine(section);
        if (awaits > 0) {
            pending.computeIfAbsent(activation, a -> new HashMap<>()).put(section.getStartLine(), awaits);
        }
    }

    static int awaitsOnFirstLine(SourceSection section) {
        CharSequence text = section.getCharacters();
        String first = text.toString();
        int newline = first.indexOf('\n');
        if (newline >= 0) {
            first = first.substring(0, newline);
        }
        Matcher m = AWAIT.matcher(first);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Object activation(DebugStackFrame frame) {
        if (JS == null) {
            return null;
        }
        try {
            return frame.getRawFrame(JS, FrameInstance.FrameAccess.READ_ONLY);
        } catch (DebugException | IllegalArgumentException | UnsupportedOperationException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends TruffleLanguage<?>> javaScriptLanguage() {
        try {
            return (Class<? extends TruffleLanguage<?>>) Class.forName("com.oracle.truffle.js.lang.JavaScriptLanguage");
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
