package dev.thimble.runtime.triggers;

import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeEventSource;
import dev.thimble.runtime.changes.ChangeHistoryLostException;
import dev.thimble.runtime.changes.ChangeListener;
import dev.thimble.runtime.changes.Subscription;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One running database trigger on the node that holds its lease: subscribed to the change events
 * after its stored position, it runs the function for each event it fires on and stores the event's
 * resume token once handled. Ordered: one event at a time, in order, and a failed run (whose error
 * handler, if any, failed too) suspends the trigger without moving past the event. Unordered: up to
 * {@code parallel} events at once; the stored position is the newest event before which every
 * event is handled, so a restart re-runs at most the events that were in flight.
 */
final class DatabaseTrigger implements ChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseTrigger.class);
    /** A position past events the trigger skips is stored at most this often (it keeps the stored position inside the log). */
    private static final long SKIPPED_SAVE_MILLIS = 1000;
    private static final long STOP_WAIT_SECONDS = 30;

    private final TriggerDef trigger;
    private final DatabaseTriggerSpec spec;
    private final TriggerState state;
    private final TriggerRuns runs;
    private final int parallel;
    private final Consumer<String> onLost;
    private final ReentrantLock handling = new ReentrantLock();
    private final Semaphore permits;
    /** Unordered: arrival number → the event's token once handled (null while in flight). */
    private final TreeMap<Long, BsonDocument> inFlight = new TreeMap<>();
    private long arrivals;
    private volatile boolean stopped;
    private volatile Subscription subscription;
    private long lastSkippedSave;

    /** @param onLost told the trigger's name when it stops by itself (suspended, lease lost, history lost) */
    DatabaseTrigger(TriggerDef trigger, DatabaseTriggerSpec spec, TriggerState state, TriggerRuns runs, int parallel,
                    Consumer<String> onLost) {
        this.trigger = trigger;
        this.spec = spec;
        this.state = state;
        this.runs = runs;
        this.parallel = spec.unordered() ? parallel : 1;
        this.permits = new Semaphore(this.parallel);
        this.onLost = onLost;
    }

    TriggerDef def() {
        return trigger;
    }

    /** Subscribes after the stored position (or from now, the first time and after a skipped catch-up). */
    void start(ChangeEventSource source) {
        String name = trigger.name();
        BsonDocument position = state.position(name);
        if (state.takeDisabledMark(name) && spec.skipCatchupEvents() || position == null) {
            position = source.currentPosition();
            if (position != null) {
                state.savePosition(name, position);
            }
        }
        boolean resumedByHand = state.takeResumedMark(name);
        try {
            subscription = source.subscribe(position == null ? spec.filter() : spec.filter().resumeAfter(position), this);
        } catch (ChangeHistoryLostException | IllegalArgumentException e) {
            String reason = "cannot resume after the stored position " + position.toJson() + ": " + e.getMessage();
            if (!resumedByHand) {
                runs.suspended(trigger, namespace(), reason + "; resume the trigger to start from now");
                suspend(reason);
                return;
            }
            // resumed by hand (STITCH-SPEC §4): start from now, the events in between are lost, and say so
            runs.suspended(trigger, namespace(), reason + "; resumed by hand, so it starts from now: the events in between are not delivered");
            BsonDocument now = source.currentPosition();
            if (now != null) {
                state.savePosition(name, now);
            }
            subscription = source.subscribe(now == null ? spec.filter() : spec.filter().resumeAfter(now), this);
        }
        if (stopped) {
            closeSubscription(); // suspended by its first event before the subscription was known
        }
    }

    @Override
    public void onEvent(ChangeEvent event) {
        if (stopped) {
            return;
        }
        if (spec.unordered()) {
            dispatchUnordered(event);
            return;
        }
        handling.lock();
        try {
            if (stopped) {
                return;
            }
            BsonDocument shaped = spec.shape(event);
            if (shaped == null) {
                long now = System.currentTimeMillis();
                if (now - lastSkippedSave >= SKIPPED_SAVE_MILLIS) {
                    lastSkippedSave = now;
                    saveOrStop(event.id());
                }
                return;
            }
            if (handle(event, shaped)) {
                saveOrStop(event.id());
            } else {
                suspend("the function failed on event " + event.resumeData() + " and "
                        + (spec.errorHandler().isEmpty() ? "the trigger has no error handler" : "so did the error handler")
                        + "; resume the trigger to run the event again");
            }
        } finally {
            handling.unlock();
        }
    }

    @Override
    public void onError(RuntimeException error) {
        if (!stopped) {
            String reason = "the change events stopped: " + error.getMessage();
            runs.suspended(trigger, namespace(), reason);
            suspend(reason);
        }
    }

    private String namespace() {
        return (spec.database() == null ? "*" : spec.database()) + "." + (spec.collection() == null ? "*" : spec.collection());
    }

    /** Runs the function (and the error handler if it fails); true when the event counts as handled. */
    private boolean handle(ChangeEvent event, BsonDocument shaped) {
        TriggerRuns.Outcome outcome = runs.run(trigger, LogType.DB_TRIGGER, trigger.functionName(), List.of(shaped),
                event.ns().toString());
        if (outcome.succeeded()) {
            return true;
        }
        if (spec.errorHandler().isEmpty()) {
            return false;
        }
        BsonDocument error = new BsonDocument("name", new BsonString(outcome.errorName() == null ? "FunctionError" : outcome.errorName()))
                .append("message", new BsonString(outcome.error()))
                .append("triggerName", new BsonString(trigger.name()))
                .append("triggerId", new BsonString(trigger.config().text("id", "")));
        return runs.run(trigger, LogType.TRIGGER_ERROR_HANDLER, spec.errorHandler(), List.<BsonValue>of(error, shaped),
                event.ns().toString()).succeeded();
    }

    private void dispatchUnordered(ChangeEvent event) {
        BsonDocument shaped = spec.shape(event);
        long number;
        synchronized (inFlight) {
            number = ++arrivals;
            inFlight.put(number, shaped == null ? event.id() : null);
        }
        if (shaped == null) {
            completed(number, event.id(), System.currentTimeMillis() - lastSkippedSave >= SKIPPED_SAVE_MILLIS);
            return;
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (stopped) {
            permits.release(); // stopped while waiting for a slot: the next holder runs it
            return;
        }
        Thread.ofVirtual().name("thimble-trigger-" + trigger.name()).start(() -> {
            try {
                handle(event, shaped); // a failure is logged; unordered triggers do not suspend
                completed(number, event.id(), true);
            } finally {
                permits.release();
            }
        });
    }

    /** Marks an unordered event handled and stores the newest position before which all are handled. */
    private void completed(long number, BsonDocument token, boolean save) {
        BsonDocument newest = null;
        synchronized (inFlight) {
            inFlight.put(number, token);
            while (!inFlight.isEmpty() && inFlight.firstEntry().getValue() != null) {
                Map.Entry<Long, BsonDocument> done = inFlight.pollFirstEntry();
                newest = done.getValue();
            }
            if (newest != null && save) {
                lastSkippedSave = System.currentTimeMillis();
                saveOrStop(newest); // under the lock, so positions are stored in order
            }
        }
    }

    private void saveOrStop(BsonDocument token) {
        if (!state.savePosition(trigger.name(), token) && !stopped) {
            LOG.warn("Trigger {}: this node lost its lease; another node continues it", trigger.name());
            stopped = true;
            closeSubscription();
            onLost.accept(trigger.name());
        }
    }

    private void suspend(String reason) {
        stopped = true;
        closeSubscription();
        LOG.warn("Trigger {} suspended: {}", trigger.name(), reason);
        state.suspend(trigger.name(), reason);
        onLost.accept(trigger.name());
    }

    /**
     * Stops delivery and waits for the events in flight to finish and their positions to be stored,
     * so the next holder starts exactly after them.
     */
    void stop() {
        stopped = true;
        closeSubscription();
        try {
            if (handling.tryLock(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                handling.unlock();
            }
            if (permits.tryAcquire(parallel, STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                permits.release(parallel);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean running() {
        return !stopped;
    }

    private void closeSubscription() {
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
    }
}
