package dev.thimble.workbench.workspace;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.FunctionDebugger;
import dev.thimble.debugger.ReplayRequest;
import dev.thimble.debugger.ReplayResult;
import dev.thimble.debugger.Replayer;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogSubscription;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Debugging of the open app's functions on whatever host serves it now: attaches a
 * {@link FunctionDebugger} with the app's breakpoints, re-attaches it to the new host after a
 * restart or a database switch, and replays logged calls under it. Every method blocks; call them
 * off the UI thread.
 */
public final class AppDebugging implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppDebugging.class);
    private final Supplier<Optional<AppHost>> host;
    private final Breakpoints breakpoints;
    private FunctionDebugger debugger;

    public AppDebugging(Supplier<Optional<AppHost>> host, Breakpoints breakpoints) {
        this.host = host;
        this.breakpoints = breakpoints;
    }

    /** The app's breakpoints (kept by the user's workbench state, never in the bundle). */
    public Breakpoints breakpoints() {
        return breakpoints;
    }

    /** Starts debugging on the running host (or returns the attached debugger). */
    public synchronized FunctionDebugger start() {
        if (debugger != null) {
            return debugger;
        }
        debugger = FunctionDebugger.attach(engine(), breakpoints);
        return debugger;
    }

    /** Stops debugging: paused functions run on, the app's functions go back to their own Engine. */
    public synchronized void stop() {
        if (debugger != null) {
            FunctionDebugger closing = debugger;
            debugger = null;
            try {
                closing.close();
            } catch (RuntimeException e) {
                // the host it watched may be closed already (a restart): nothing is left to switch back
                LOG.debug("Closing the debugger of a stopped host: {}", e.toString());
            }
        }
    }

    /**
     * After the server restarted or moved to another database: the debugger, attached to the host
     * serving now; the same one when the host did not change; empty when not debugging or stopped.
     */
    public synchronized Optional<FunctionDebugger> follow() {
        if (debugger == null) {
            return Optional.empty();
        }
        Optional<AppHost> now = host.get();
        if (now.isEmpty() || now.get().services().functions() == debugger.engine()) {
            return Optional.of(debugger);
        }
        stop();
        return Optional.of(start());
    }

    public synchronized Optional<FunctionDebugger> current() {
        return Optional.ofNullable(debugger);
    }

    /**
     * The database calls, with their rule decisions, that the paused client call {@code executionId}
     * made so far ({@code {database_calls: [...]}}); empty when none yet, when the execution is not
     * paused here, or when it is not a client's function call (a trigger, a replay: not gathered).
     */
    public synchronized Optional<BsonDocument> databaseCallsSoFar(long executionId) {
        Optional<AppHost> now = host.get();
        if (debugger == null || now.isEmpty()) {
            return Optional.empty();
        }
        return debugger.paused(executionId).flatMap(p -> now.get().services().databaseCallsSoFar(p.caller().user()));
    }

    /**
     * The log record of the function call {@code functionName} by {@code userId} that was running at
     * {@code runningAt} (started before, completed after), once it is written (a debugged call's
     * record comes when it ends); fails after {@code limit}.
     */
    public CompletableFuture<LogRecord> recordOf(String functionName, String userId, Instant runningAt, Duration limit) {
        AppHost now = host.get().orElse(null);
        if (now == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the server is not running"));
        }
        CompletableFuture<LogRecord> found = new CompletableFuture<>();
        java.util.function.Predicate<LogRecord> wanted = r -> r.type() == LogType.FUNCTION
                && functionName.equals(r.functionName()) && userId.equals(r.userId() == null ? "" : r.userId())
                && r.started() != null && r.completed() != null
                && !r.started().isAfter(runningAt) && !r.completed().isBefore(runningAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        LogSubscription subscription = now.logs().subscribe(batch -> batch.stream().filter(wanted).findFirst().ifPresent(found::complete), 200);
        found.orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            try {
                subscription.close();
            } catch (Exception closing) {
                LOG.debug("Closing a log subscription: {}", closing.toString());
            }
        });
        return found;
    }

    /** Runs {@code replay} on the running host (under the debugger when it is attached); completes when the function ends. */
    public CompletableFuture<ReplayResult> replay(ReplayRequest replay) {
        return new Replayer(engine()).start(replay);
    }

    private FunctionEngine engine() {
        return host.get().orElseThrow(() -> new IllegalStateException(
                "The server is not running: start it (Server > Start), then debug or replay.")).services().functions();
    }

    @Override
    public void close() {
        stop();
    }
}
