package dev.thimble.runtime.functions;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up of decision 0030: after start and after a reload, realms are made ready off the request
 * path, and no app function runs in the process (they may write data).
 */
class WarmUpTest {
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @Test
    void realmsAreReadyBeforeTheFirstCallAndNoAppFunctionRan() throws InterruptedException {
        AtomicInteger databaseCalls = new AtomicInteger();
        MongoServiceClient recording = (service, action, arguments, caller) -> {
            databaseCalls.incrementAndGet();
            return new BsonDocument("insertedId", new BsonInt32(1));
        };
        try (FunctionEngine engine = FunctionEngine.builder(TestApp.app()
                        .service("mongodb-atlas", "mongodb-atlas")
                        .function("writes", "exports = async function() {\n"
                                + "  await context.services.get('mongodb-atlas').db('d').collection('c').insertOne({ a: 1 });\n"
                                + "  return 'wrote';\n};")
                        .build())
                .mongo(recording).warmUp(true).limits(Functions.TEST_LIMITS).build()) {
            assertThat(engine.awaitWarmUp(PATIENCE)).as("warm-up finished within %s", PATIENCE).isTrue();
            assertThat(engine.idleRealms()).as("realms made ready").isEqualTo(WarmUp.REALMS);
            assertThat(databaseCalls).as("app functions are never run by the warm-up").hasValue(0);

            long created = engine.realmsCreated();
            assertThat(value(engine, "writes")).isEqualTo(new BsonString("wrote"));
            assertThat(engine.realmsCreated()).as("the first call used a realm made ready in advance").isEqualTo(created);
            assertThat(databaseCalls).hasValue(1);

            engine.reload(TestApp.app().function("writes", "exports = function() { return 'version 2'; };").build());
            assertThat(engine.awaitWarmUp(PATIENCE)).isTrue();
            assertThat(engine.idleRealms()).isEqualTo(WarmUp.REALMS);
            long afterReload = engine.realmsCreated();
            assertThat(value(engine, "writes")).isEqualTo(new BsonString("version 2"));
            assertThat(engine.realmsCreated()).as("the reloaded version's realms were made ready too").isEqualTo(afterReload);
        }
    }

    /**
     * Issue 18's warm-up curve: a call that comes before the first locked realm is ready waits for it rather
     * than making a fresh realm of its own (each of which cost a cold engine tens of milliseconds).
     */
    @Test
    void aCallRightAfterTheStartUsesTheFirstRealmMadeReadyInsteadOfAFreshOne() throws InterruptedException {
        try (FunctionEngine engine = FunctionEngine.builder(TestApp.app().function("f", "exports = (a) => a + 1;").build())
                .warmUp(true).limits(Functions.TEST_LIMITS).build()) {
            assertThat(value(engine, "f", new BsonInt32(1))).isEqualTo(new BsonInt32(2));
            assertThat(value(engine, "f", new BsonInt32(2))).isEqualTo(new BsonInt32(3));
            assertThat(engine.awaitWarmUp(PATIENCE)).as("warm-up finished within %s", PATIENCE).isTrue();
            // the warm-up made its realms (one more if a call held one meanwhile); no call made one of its own
            assertThat(engine.realmsCreated()).isBetween((long) WarmUp.REALMS, (long) WarmUp.REALMS + 1);
        }
    }

    @Test
    void withoutWarmUpNoRealmIsMadeBeforeTheFirstCall() {
        try (FunctionEngine engine = FunctionEngine.builder(TestApp.app().function("f", "exports = () => 1;").build())
                .limits(Functions.TEST_LIMITS).build()) {
            assertThat(engine.realmsCreated()).isZero();
            assertThat(value(engine, "f")).isEqualTo(new BsonInt32(1));
            assertThat(engine.realmsCreated()).isEqualTo(1);
        }
    }
}
