package dev.thimble.runtime.triggers;

import com.mongodb.client.MongoDatabase;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.auth.AuthEvents;
import dev.thimble.runtime.changes.ChangeEventSource;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.logs.LogService;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The triggers of one running app on one node. Database and scheduled triggers run where their lease
 * is held: a coordinator thread takes free or expired leases, renews held ones every
 * {@link TriggerSettings#renewInterval()}, and starts, stops or restarts triggers as the app model
 * changes ({@link #reload}). Authentication triggers run wherever the auth event happens
 * ({@link #authEvents()}). A trigger that fails (ordered) or cannot resume is suspended until {@link #resume}.
 */
public final class TriggerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);

    private sealed interface Running permits RunningDatabase, RunningScheduled {
        TriggerDef def();

        void stop();
    }

    private record RunningDatabase(DatabaseTrigger trigger) implements Running {
        public TriggerDef def() { return trigger.def(); }

        public void stop() { trigger.stop(); }
    }

    private record RunningScheduled(ScheduledTrigger trigger) implements Running {
        public TriggerDef def() { return trigger.def(); }

        public void stop() { trigger.stop(); }
    }

    private final ChangeEventSource source;
    private final TriggerState state;
    private final TriggerRuns runs;
    private final TriggerSettings settings;
    private final Clock clock;
    private final AuthTriggers auth;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Set<String> seenDisabled = ConcurrentHashMap.newKeySet();
    /** Triggers whose configuration cannot run, as they were: not tried again until the app changes them. */
    private final Map<String, Invalid> invalid = new ConcurrentHashMap<>();

    private record Invalid(TriggerDef def, String reason) {
    }
    private final Object passLock = new Object();
    private volatile AppModel app;
    private volatile boolean closed;
    private final Thread coordinator;

    /**
     * Starts the coordinator, which takes the leases of the app's database and scheduled triggers it can get.
     *
     * @param stateDatabase the app's state database (leases, positions, last runs)
     * @param functions     the engine of the app's current version
     * @param clock         the time of leases and log records
     */
    public TriggerService(AppModel app, ChangeEventSource source, MongoDatabase stateDatabase,
                          Supplier<FunctionEngine> functions, LogService logs, Clock clock, TriggerSettings settings) {
        this.app = app;
        this.source = source;
        this.settings = settings;
        this.clock = clock;
        this.state = new TriggerState(stateDatabase.getCollection(TriggerState.COLLECTION), settings.nodeId(), settings.leaseDuration());
        this.runs = new TriggerRuns(functions, logs, clock);
        this.auth = new AuthTriggers(() -> this.app, runs);
        pass();
        this.coordinator = Thread.ofVirtual().name("thimble-trigger-leases").start(this::coordinate);
    }

    /** What the auth service tells about users created, logged in and deleted. */
    public AuthEvents authEvents() {
        return auth;
    }

    /** Runs the app's new version: new, changed, enabled and disabled triggers are started or stopped at once. */
    public void reload(AppModel next) {
        this.app = next;
        pass();
    }

    /**
     * Runs a scheduled trigger's function once now, as one of its occurrences would (system user, a
     * {@code SCHEDULED_TRIGGER} log record), without moving its schedule or its stored last run: the
     * workbench's "run now" and its clock advancing through the occurrences.
     *
     * @return null when it succeeded, else the error's message
     * @throws IllegalArgumentException when the app has no scheduled trigger of that name
     */
    public String runNow(String name) {
        TriggerDef trigger = app.triggers().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The app has no trigger " + name + "."));
        if (!"SCHEDULED".equals(trigger.type())) {
            throw new IllegalArgumentException("Only a scheduled trigger runs without an event; " + name + " is a "
                    + trigger.type().toLowerCase(java.util.Locale.ROOT) + " trigger (replay one of its logged events in the debugger).");
        }
        TriggerRuns.Outcome outcome = runs.run(trigger, dev.thimble.runtime.logs.LogType.SCHEDULED_TRIGGER, trigger.functionName(),
                java.util.List.of(), null);
        return outcome.succeeded() ? null : outcome.error();
    }

    /** Clears a trigger's suspension; it restarts after its stored position (the failed event runs again). */
    public void resume(String name) {
        state.clearSuspended(name);
        pass();
    }

    /**
     * Clears a trigger's suspension and forgets its stored position: it restarts from now, and the
     * events since it stopped are not run (the admin API's resume with {@code disable_token}).
     */
    public void resumeFromNow(String name) {
        state.clearPosition(name);
        resume(name);
    }

    /** Why a trigger is suspended, or empty when it is not. */
    public Optional<String> suspension(String name) {
        Document stored = state.read(name);
        return Boolean.TRUE.equals(stored.get("suspended"))
                ? Optional.of(String.valueOf(stored.get("suspended_reason"))) : Optional.empty();
    }

    /** Why a trigger's configuration cannot run (file, field, reason), or empty. */
    public Optional<String> problem(String name) {
        return Optional.ofNullable(invalid.get(name)).map(Invalid::reason);
    }

    /** The database and scheduled triggers running on this node now (it holds their leases). */
    public Set<String> runningHere() {
        return Set.copyOf(running.keySet());
    }

    /** This node's id in the leases. */
    public String nodeId() {
        return settings.nodeId();
    }

    /** Called with the trigger's name right before each of its function runs starts (measurements, the workbench). */
    public void onRunStart(Consumer<String> listener) {
        runs.probe = listener == null ? t -> { } : t -> listener.accept(t.name());
    }

    private void coordinate() {
        while (!closed) {
            LockSupport.parkNanos(settings.renewInterval().toNanos());
            if (!closed) {
                pass();
            }
        }
    }

    /** One round: stop what left or changed, renew what runs, take what is free. */
    private void pass() {
        synchronized (passLock) {
            if (closed) {
                return;
            }
            try {
                Map<String, TriggerDef> wanted = new ConcurrentHashMap<>();
                for (TriggerDef trigger : app.triggers()) {
                    if (!trigger.type().equals("DATABASE") && !trigger.type().equals("SCHEDULED")) {
                        continue;
                    }
                    if (trigger.disabled()) {
                        if (seenDisabled.add(trigger.name())) {
                            state.markDisabled(trigger.name());
                        }
                        continue;
                    }
                    seenDisabled.remove(trigger.name());
                    wanted.put(trigger.name(), trigger);
                }
                for (String name : new HashSet<>(running.keySet())) {
                    Running current = running.get(name);
                    if (current != null && !current.def().equals(wanted.get(name))) {
                        stopAndRelease(name);
                    }
                }
                for (TriggerDef trigger : wanted.values()) {
                    try {
                        claim(trigger);
                    } catch (RuntimeException e) {
                        LOG.warn("Trigger {}: its lease could not be renewed or taken this round: {}", trigger.name(), e.getMessage());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Trigger leases could not be renewed this round: {}", e.getMessage());
            }
        }
    }

    private void claim(TriggerDef trigger) {
        String name = trigger.name();
        boolean held = running.containsKey(name);
        Invalid known = invalid.get(name);
        if (known != null && known.def().equals(trigger) || !held && state.suspended(name)) {
            return;
        }
        if (!state.acquire(name, clock.instant())) {
            Running lost = running.remove(name);
            if (lost != null) {
                LOG.warn("Trigger {}: lease taken by another node; stopping here", name);
                lost.stop();
            }
            return;
        }
        if (held) {
            return;
        }
        try {
            // in the map before it starts, so a suspension during the start (lost) removes it again
            if (trigger.type().equals("DATABASE")) {
                DatabaseTrigger db = new DatabaseTrigger(trigger, DatabaseTriggerSpec.of(trigger), state, runs,
                        settings.unorderedParallel(), this::lost);
                running.put(name, new RunningDatabase(db));
                db.start(source);
            } else {
                ScheduledTrigger scheduled = new ScheduledTrigger(trigger, settings.clock(), state, runs, this::lost);
                running.put(name, new RunningScheduled(scheduled));
                scheduled.start();
            }
            invalid.remove(name);
            if (running.containsKey(name)) {
                LOG.info("Trigger {} ({}) runs on this node ({})", name, trigger.type(), settings.nodeId());
            }
        } catch (IllegalArgumentException e) {
            running.remove(name);
            state.release(name);
            invalid.put(name, new Invalid(trigger, e.getMessage()));
            LOG.error("Trigger {} cannot run: {}", name, e.getMessage());
        } catch (RuntimeException e) {
            Running failed = running.remove(name);
            if (failed != null) {
                failed.stop();
            }
            state.release(name);
            LOG.warn("Trigger {} could not start ({}); trying again in {} ms", name, e.getMessage(),
                    settings.renewInterval().toMillis());
        }
    }

    /** A trigger stopped by itself (suspended, lease lost): forget it, so a later round may take it again. */
    private void lost(String name) {
        running.remove(name);
    }

    private void stopAndRelease(String name) {
        Running current = running.remove(name);
        if (current != null) {
            current.stop();
            state.release(name);
        }
    }

    /** Stops every trigger here, waiting for runs in flight and their positions, then gives the leases up. */
    @Override
    public void close() {
        synchronized (passLock) {
            closed = true;
        }
        LockSupport.unpark(coordinator);
        for (String name : new HashSet<>(running.keySet())) {
            try {
                stopAndRelease(name);
            } catch (RuntimeException e) {
                LOG.warn("Trigger {}: could not give its lease up ({}); it expires by itself", name, e.getMessage());
            }
        }
        auth.close();
    }
}
