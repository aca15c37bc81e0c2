package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decision 0042: a function's awaited call to an in-process database runs on the function's own thread
 * (no hand-off to an I/O thread and back); a remote database's calls still go to an I/O thread; the time
 * limit still ends a function that keeps awaiting database calls. The execution's thread is seen through
 * the user directory, which {@code run_as_user_id} asks on it (as in {@link InPlaceExecutionTest}).
 */
class DatabaseCallsInPlaceTest {
    private static final String READS = "exports = async function(n) {\n"
            + "  const c = context.services.get('mongodb-atlas').db('inplace').collection('items');\n"
            + "  await c.insertOne({ n });\n"
            + "  const [found, count] = await Promise.all([c.findOne({ n }), c.count({ n })]);\n"
            + "  return [found.n, count];\n"
            + "};";
    private static final String LOOPS = "exports = async function() {\n"
            + "  const c = context.services.get('mongodb-atlas').db('inplace').collection('loop');\n"
            + "  for (;;) { await c.findOne({}); }\n"
            + "};";
    private static ExecutorService requestThreads;

    @BeforeAll
    static void start() {
        requestThreads = ExecutionThreads.pool("test-request-", 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        requestThreads.shutdown();
        requestThreads.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** An engine over the embedded server whose client records the thread of every call. */
    private static FunctionEngine engine(boolean inProcess, List<Thread> executionThreads, List<Thread> databaseThreads) {
        DriverMongoServiceClient driver = new DriverMongoServiceClient(EmbeddedMongo.client(), inProcess);
        return FunctionEngine.builder(TestApp.app()
                        .service("mongodb-atlas", "mongodb-atlas")
                        .function("reads", "{\"run_as_user_id\": \"bob-id\"}", READS)
                        .function("loops", LOOPS)
                        .build())
                .mongo(new MongoServiceClient() {
                    @Override
                    public BsonValue call(String service, String action, BsonDocument arguments, Caller caller) {
                        databaseThreads.add(Thread.currentThread());
                        return driver.call(service, action, arguments, caller);
                    }

                    @Override
                    public boolean inProcess() {
                        return driver.inProcess();
                    }
                })
                .users(id -> {
                    executionThreads.add(Thread.currentThread());
                    return Optional.of(Principal.normal(id));
                })
                .limits(Functions.TEST_LIMITS)
                .build();
    }

    private static FunctionResult onRequestThread(FunctionEngine engine, String name, Duration timeLimit, BsonValue... args) throws Exception {
        return requestThreads.submit(() -> engine.execute(name, List.of(args), ExecutionRequest.asUser(ALICE).withTimeLimit(timeLimit)))
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void anInProcessDatabaseAnswersOnTheFunctionsOwnThread() throws Exception {
        List<Thread> execution = new CopyOnWriteArrayList<>();
        List<Thread> database = new CopyOnWriteArrayList<>();
        try (FunctionEngine engine = engine(true, execution, database)) {
            FunctionResult result = onRequestThread(engine, "reads", Duration.ofSeconds(20), new BsonInt32(7));
            assertThat(result.error()).as(() -> result.error().describe()).isNull();
            assertThat(result.value()).isEqualTo(Functions.ejson("[7, 1]"));
            assertThat(execution).hasSize(1);
            assertThat(execution.getFirst()).isInstanceOf(ExecutionThreads.Carrier.class);
            assertThat(database).hasSize(3).containsOnly(execution.getFirst());
        }
    }

    @Test
    void aRemoteDatabaseIsStillCalledFromAnIoThread() throws Exception {
        List<Thread> execution = new CopyOnWriteArrayList<>();
        List<Thread> database = new CopyOnWriteArrayList<>();
        try (FunctionEngine engine = engine(false, execution, database)) {
            FunctionResult result = onRequestThread(engine, "reads", Duration.ofSeconds(20), new BsonInt32(8));
            assertThat(result.error()).as(() -> result.error().describe()).isNull();
            assertThat(result.value()).isEqualTo(Functions.ejson("[8, 1]"));
            assertThat(execution).hasSize(1);
            assertThat(database).hasSize(3).doesNotContain(execution.getFirst());
        }
    }

    @Test
    void theTimeLimitEndsAFunctionThatKeepsAwaitingDatabaseCallsAndTheThreadServesTheNextCall() throws Exception {
        List<Thread> execution = new CopyOnWriteArrayList<>();
        List<Thread> database = new CopyOnWriteArrayList<>();
        try (FunctionEngine engine = engine(true, execution, database)) {
            // a first call makes the engine and the driver connection ready, so the loop's time goes to its calls
            assertThat(onRequestThread(engine, "reads", Duration.ofSeconds(20), new BsonString("first")).error()).isNull();
            database.clear();
            FunctionResult stopped = onRequestThread(engine, "loops", Duration.ofMillis(1500));
            assertThat(stopped.error()).isNotNull();
            assertThat(stopped.error().kind()).isEqualTo(FunctionError.Kind.TIME_LIMIT);
            assertThat(stopped.error().message()).isEqualTo("Function loops exceeded its time limit of 1500 ms");
            assertThat(database).isNotEmpty();
            for (int i = 0; i < 4; i++) { // both threads of the pool, twice
                FunctionResult next = onRequestThread(engine, "reads", Duration.ofSeconds(20), new BsonString("next" + i));
                assertThat(next.error()).as(() -> next.error().describe()).isNull();
                assertThat(next.value()).isEqualTo(Functions.ejson("[\"next" + i + "\", 1]"));
            }
        }
    }
}
