package dev.thimble.runtime.functions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle realms of one app version (decision record 0030): an execution takes one, and gives it
 * back when its call left it clean. Realms of different versions, and so of different apps, are
 * never mixed: each {@link FunctionSet} has its own pool, closed when the version is replaced.
 * An app version whose functions patch built-ins ({@link BuiltInPatches}) or that runs under a
 * debugger gets a new, unlocked realm for every execution instead.
 */
final class RealmPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RealmPool.class);
    /** Idle realms kept per app version: enough for the concurrent calls a small server sees. */
    static final int MAX_IDLE = 16;

    private final FunctionSet set;
    private final boolean reuse;
    private final int maxIdle;
    private final LinkedBlockingDeque<Realm> idle = new LinkedBlockingDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong created = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong waitedFor = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;
    /** Where locked realms are made when the pool ran dry (the warm-up thread); null: on the calling thread. */
    private volatile java.util.concurrent.Executor filler;
    /**
     * Whether this version's first locked realm is ready (or could not be made). Until then a call waits for
     * it, up to {@link #FIRST_REALM_WAIT}, instead of paying for a fresh realm of its own: right after a
     * start, every call made a fresh one in a cold engine while the first lockdown ran (issue 18's warm-up curve).
     */
    private volatile boolean firstReady;
    private final Object firstReadyLock = new Object();
    /** How long a call waits for the version's first locked realm before running in a fresh one. */
    static final long FIRST_REALM_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    /**
     * How long a call that finds no idle realm waits for one to be given back before it runs in a fresh single-use
     * realm (decision 0066). Concurrent callers beyond the realms in circulation took turns for two cores anyway, but
     * each made and threw away a realm of its own (a bootstrap: several times a warm call's CPU), starving the filler
     * that makes the locked ones; a realm comes back within a warm call's time. Bounded, because the realms may all
     * be held by calls waiting for something slow (a fetch, a long query). {@code -Dthimble.functions.realmWaitMillis}
     * (0: never wait, the behaviour before).
     */
    static final long REALM_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("thimble.functions.realmWaitMillis", 100));

    RealmPool(FunctionSet set, boolean reuse, int maxIdle) {
        this.set = set;
        this.reuse = reuse;
        this.maxIdle = maxIdle;
    }

    /** Whether calls of this version share realms (false: a new realm per execution). */
    boolean reuses() {
        return reuse;
    }

    /**
     * Makes locked realms on {@code executor} from now on when a call finds none idle; that call then
     * runs in a fresh single-use realm, so a request never waits for a lockdown (decision 0030).
     */
    void fillOn(java.util.concurrent.Executor executor) {
        this.filler = executor;
    }

    /** An idle realm, or a new one (created on the calling thread). */
    Realm take(long statementLimit) {
        if (reuse) {
            Realm realm = idle.pollFirst();
            if (realm != null) {
                idleCount.decrementAndGet();
                return realm;
            }
            java.util.concurrent.Executor background = filler;
            if (background != null && !firstReady) {
                realm = awaitFirst();
                if (realm != null) {
                    return realm;
                }
            }
            if (background != null) {
                topUp(background, statementLimit);
                realm = awaitGivenBack();
                if (realm != null) {
                    return realm;
                }
                created.incrementAndGet();
                return Realm.open(set, statementLimit, false);
            }
        }
        created.incrementAndGet();
        return Realm.open(set, statementLimit, reuse);
    }

    /** Waits for the first locked realm (made by {@link #prefill} on the filler); null if none came in time. */
    private Realm awaitFirst() {
        long deadline = System.nanoTime() + FIRST_REALM_WAIT_NANOS;
        synchronized (firstReadyLock) {
            while (!firstReady && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(firstReadyLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        Realm realm = idle.pollFirst();
        if (realm != null) {
            idleCount.decrementAndGet();
        }
        return realm;
    }

    /** A realm another call gives back within {@link #REALM_WAIT_NANOS} (or the filler made meanwhile); null if none. */
    private Realm awaitGivenBack() {
        if (REALM_WAIT_NANOS <= 0) {
            return null;
        }
        try {
            Realm realm = idle.pollFirst(REALM_WAIT_NANOS, TimeUnit.NANOSECONDS);
            if (realm != null) {
                idleCount.decrementAndGet();
                waitedFor.incrementAndGet();
            }
            return realm;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** How many calls got a realm by waiting for one to be given back (tests and measurements). */
    long waitedFor() {
        return waitedFor.get();
    }

    /** No call waits for a first realm any more: one is idle, or making one failed. */
    private void markFirstReady() {
        if (!firstReady) {
            synchronized (firstReadyLock) {
                firstReady = true;
                firstReadyLock.notifyAll();
            }
        }
    }

    private void topUp(java.util.concurrent.Executor background, long statementLimit) {
        try {
            background.execute(() -> {
                if (closed || idleCount.get() >= maxIdle) {
                    return;
                }
                try {
                    created.incrementAndGet();
                    giveBack(Realm.open(set, statementLimit, true), true);
                } catch (RuntimeException e) {
                    LOG.debug("making a realm in the background failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the engine is closing
        }
    }

    /** How many realms this pool has made (tests pin reuse with it). */
    long created() {
        return created.get();
    }

    /** Returns a realm after its call; it is closed unless it may serve another. */
    void giveBack(Realm realm, boolean reusable) {
        if (!reusable || !reuse || closed || idleCount.get() >= maxIdle) {
            realm.close();
            return;
        }
        idleCount.incrementAndGet();
        idle.offerFirst(realm);
        if (closed && idle.remove(realm)) { // closed meanwhile
            realm.close();
        }
        markFirstReady();
    }

    /** Creates realms ahead of the first calls (off the request path), up to {@code count} idle ones. */
    void prefill(int count, long statementLimit, java.util.function.Consumer<Realm> warm) {
        if (!reuse) {
            return;
        }
        while (!closed && idleCount.get() < Math.min(count, maxIdle)) {
            Realm realm;
            try {
                created.incrementAndGet();
                realm = Realm.open(set, statementLimit, true);
                warm.accept(realm);
            } catch (RuntimeException e) {
                LOG.debug("pre-creating a realm failed", e);
                markFirstReady();
                return;
            }
            giveBack(realm, true);
        }
    }

    int idle() {
        return idleCount.get();
    }

    @Override
    public void close() {
        closed = true;
        markFirstReady();
        Realm realm;
        while ((realm = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            realm.close();
        }
    }
}
