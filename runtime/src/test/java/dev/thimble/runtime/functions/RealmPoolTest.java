package dev.thimble.runtime.functions;

import dev.thimble.testing.Eventually;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call that finds no idle realm while the pool fills in the background waits for one another call gives back
 * (decision 0066) instead of making a single-use realm of its own, for a bounded time.
 */
class RealmPoolTest {

    @Test
    void aCallerFindingNoIdleRealmGetsTheOneAnotherCallGivesBackInsteadOfMakingOne() throws Exception {
        try (FunctionEngine engine = FunctionEngine.builder(TestApp.app().function("f", "exports = () => 1;").build())
                .limits(Functions.TEST_LIMITS).build();
             RealmPool pool = new RealmPool(engine.currentVersion(), true, RealmPool.MAX_IDLE)) {
            long limit = Functions.TEST_LIMITS.statementLimit();
            pool.prefill(1, limit, realm -> { });
            pool.fillOn(task -> { }); // a filler that makes nothing: only a realm given back can serve the second caller
            assertThat(pool.created()).isEqualTo(1);

            Realm held = pool.take(limit);
            AtomicReference<Thread> waiter = new AtomicReference<>();
            CompletableFuture<Realm> second = CompletableFuture.supplyAsync(() -> {
                waiter.set(Thread.currentThread());
                return pool.take(limit);
            });
            Eventually.await("the second caller waits for a realm", () -> waiter.get() != null
                    && waiter.get().getState() == Thread.State.TIMED_WAITING);
            pool.giveBack(held, true);

            assertThat(second.get()).as("the realm the first call gave back").isSameAs(held);
            assertThat(pool.created()).as("no realm made for the second caller").isEqualTo(1);
            assertThat(pool.waitedFor()).isEqualTo(1);
            pool.giveBack(held, true);
        }
    }

    @Test
    void whenNoRealmComesBackInTimeTheCallerRunsInASingleUseOne() {
        try (FunctionEngine engine = FunctionEngine.builder(TestApp.app().function("f", "exports = () => 1;").build())
                .limits(Functions.TEST_LIMITS).build();
             RealmPool pool = new RealmPool(engine.currentVersion(), true, RealmPool.MAX_IDLE)) {
            long limit = Functions.TEST_LIMITS.statementLimit();
            pool.prefill(1, limit, realm -> { });
            pool.fillOn(task -> { });
            Realm held = pool.take(limit);

            Realm fresh = pool.take(limit);
            assertThat(fresh).isNotSameAs(held);
            assertThat(pool.created()).as("a single-use realm after the wait").isEqualTo(2);
            assertThat(pool.waitedFor()).isZero();
            pool.giveBack(fresh, false);
            pool.giveBack(held, true);
            assertThat(pool.idle()).isEqualTo(1);
        }
    }
}
