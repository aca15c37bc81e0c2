package dev.thimble.debugger;

import com.oracle.truffle.api.debug.DebugException;
import com.oracle.truffle.api.debug.DebugScope;
import com.oracle.truffle.api.debug.DebugStackFrame;
import com.oracle.truffle.api.source.SourceSection;
import dev.thimble.runtime.functions.FunctionEngine;

/** How the engine's wrapped sources look to the debugger: which frames are the user's, and their names. */
final class Frames {
    private static final int SHIFT = FunctionEngine.lineOneColumnShift();

    private Frames() {
    }

    /** A frame in a function's source, not in the engine's wrapper around it nor in the bootstrap. */
    static boolean isUser(DebugStackFrame frame) {
        if (frame.isInternal() || frame.isHost()) {
            return false;
        }
        SourceSection section = frame.getSourceSection();
        if (section == null || !isFunctionSource(section.getSource().getName())) {
            return false;
        }
        return !isWrapper(frame);
    }

    /** True when the frame's location is its whole function: the start frame of an async function below its running body. */
    static boolean isAtFunctionStart(DebugStackFrame frame) {
        try {
            DebugScope scope = frame.getScope();
            while (scope != null && !scope.isFunctionScope()) {
                scope = scope.getParent();
            }
            SourceSection function = scope == null ? null : scope.getSourceSection();
            SourceSection at = frame.getSourceSection();
            return function != null && at != null && function.getCharIndex() == at.getCharIndex()
                    && function.getCharLength() == at.getCharLength();
        } catch (DebugException e) {
            return false;
        }
    }

    /** A function's source, or an incoming webhook's ({@code services/<svc>/incoming_webhooks/<hook>/source.js}). */
    static boolean isFunctionSource(String path) {
        return path != null && path.endsWith("/source.js")
                && (path.startsWith("functions/") || (path.startsWith("services/") && path.contains("/incoming_webhooks/")));
    }

    /** True when the frame runs the wrapper's own code (module set-up), not a function the user wrote. */
    static boolean isWrapper(DebugStackFrame frame) {
        try {
            DebugScope scope = frame.getScope();
            while (scope != null && !scope.isFunctionScope()) {
                scope = scope.getParent();
            }
            return scope != null && isWrapperScope(scope) && scope.getSourceSection().getSource().getName()
                    .equals(frame.getSourceSection().getSource().getName());
        } catch (DebugException e) {
            return false;
        }
    }

    /** A scope of the wrapper (its function or its inner module block), found by where it starts. */
    static boolean isWrapperScope(DebugScope scope) {
        SourceSection function;
        try {
            function = scope.getSourceSection();
        } catch (DebugException e) {
            return false;
        }
        return function != null && isFunctionSource(function.getSource().getName()) && function.getCharIndex() < SHIFT;
    }

    /** The app function a source path belongs to: {@code functions/a/b/source.js} → {@code a/b}; a webhook's → {@code webhook svc/hook}. */
    static String functionName(String path) {
        String inner = path.substring(path.indexOf('/') + 1, path.length() - "/source.js".length());
        if (path.startsWith("services/")) {
            return "webhook " + inner.replace("/incoming_webhooks/", "/");
        }
        return inner;
    }

    static FrameSnapshot snapshot(int index, DebugStackFrame frame) {
        SourceSection section = frame.getSourceSection();
        String path = section.getSource().getName();
        String function = functionName(path);
        String name;
        try {
            name = frame.getName();
        } catch (DebugException e) {
            name = null;
        }
        if (name == null || name.isBlank() || name.equals("exports") || name.equals(":anonymous")) {
            name = function;
        }
        int line = section.getStartLine();
        int column = line == 1 ? Math.max(1, section.getStartColumn() - SHIFT) : section.getStartColumn();
        return new FrameSnapshot(index, function, name, path, line, column);
    }
}
