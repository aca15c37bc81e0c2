package dev.thimble.debugger;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects the pauses a debugger reports, for a test to wait on. */
final class Pauses implements DebugListener {
    private final BlockingQueue<PauseSnapshot> pauses = new LinkedBlockingQueue<>();
    private final FunctionDebugger debugger;

    Pauses(FunctionDebugger debugger) {
        this.debugger = debugger;
        debugger.addListener(this);
    }

    @Override
    public void paused(PauseSnapshot snapshot) {
        pauses.add(snapshot);
    }

    /** The next pause, within 30 s (a fresh Engine's first call is slow on a busy machine). */
    PauseSnapshot next() throws InterruptedException {
        PauseSnapshot s = pauses.poll(30, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the function did not pause within 30 s");
        }
        return s;
    }

    /** True when nothing paused within {@code millis}. */
    boolean none(long millis) throws InterruptedException {
        return pauses.poll(millis, TimeUnit.MILLISECONDS) == null;
    }

    PausedExecution control(PauseSnapshot snapshot) {
        return debugger.paused(snapshot.executionId()).orElseThrow();
    }
}
