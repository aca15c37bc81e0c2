package dev.thimble.runtime;

import dev.thimble.runtime.javascript.GraalEngines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts, on background threads, the slow one-time parts of serving an app that do not depend on which
 * app it is: the process-wide GraalJS engine (Truffle, the JavaScript language and, with the optimizing
 * runtime, the compiler's start) and the bundle's parsing (GraalJS's parser classes, or where the parser
 * is not readable a parsing context of that same engine: one engine per process, not two). (Loading the
 * database's and the HTTP server's classes ahead was tried and dropped: the installed image's AOT cache
 * already makes their loading cheap.) Called first thing by {@code thimble serve} and the workbench's
 * launcher, so this work overlaps reading and validating the bundle (and, in the workbench, JavaFX's start and the first
 * frame) instead of following it. Whoever needs the engine first simply waits for it (a class
 * initialisation in progress blocks other threads until it completes), so starting it early never
 * changes what runs, only when. Decision 0023.
 */
public final class StartupWarming {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWarming.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private StartupWarming() {
    }

    /** Starts the warming once per process (later calls do nothing); returns at once. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true) || Boolean.getBoolean("thimble.startup.noWarming")) {
            return;
        }
        // the bundle's validation parses its functions: its parser is readied meanwhile too
        dev.thimble.runtime.app.FunctionSourceChecker.prepareInBackground();
        Thread engine = new Thread(StartupWarming::warmEngine, "thimble-warm-engine");
        engine.setDaemon(true);
        engine.start();
    }

    private static void warmEngine() {
        long start = System.nanoTime();
        try {
            GraalEngines.shared();
            LOG.debug("the GraalJS engine was ready {} ms after warming started", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            // the server reports it when it needs the engine; warming must never fail a start
            LOG.debug("warming the GraalJS engine failed: {}", e.toString());
        }
    }
}
