package dev.thimble.workbench.editors.code;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.ui.DebuggerViewModel;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Ties a function's code editor to the debugger: gutter clicks toggle breakpoints in the user's
 * breakpoint state, the gutter shows that state's dots for this function, and an arrow marks the
 * line the selected paused frame stands on when it is in this function.
 */
public final class BreakpointGutter {
    private BreakpointGutter() {
    }

    /**
     * Binds {@code editor}, showing the function source at bundle path {@code path}.
     *
     * @param uiThread where breakpoint changes (made on any thread) are applied, e.g. {@code Platform::runLater}
     * @return undoes the binding (when the editor closes)
     */
    public static Runnable bind(CodeEditor editor, String path, Breakpoints breakpoints,
                                ObservableValue<DebuggerViewModel.Location> currentLine, Executor uiThread) {
        editor.setOnGutterClick(line -> breakpoints.toggle(path, line));
        Runnable sync = () -> {
            Set<Integer> lines = new HashSet<>();
            breakpoints.linesIn(path).forEach(l -> lines.add(l.line()));
            uiThread.execute(() -> {
                editor.breakpointLines().retainAll(lines);
                editor.breakpointLines().addAll(lines);
            });
        };
        breakpoints.addListener(sync);
        sync.run();
        ChangeListener<DebuggerViewModel.Location> follow = (obs, was, now) -> {
            boolean here = now != null && now.path().equals(path);
            editor.executionLineProperty().set(here ? now.line() : 0);
            if (here) {
                editor.revealLine(now.line());
            }
        };
        currentLine.addListener(follow);
        follow.changed(currentLine, null, currentLine.getValue());
        return () -> {
            breakpoints.removeListener(sync);
            currentLine.removeListener(follow);
            editor.setOnGutterClick(null);
            editor.executionLineProperty().set(0);
        };
    }
}
