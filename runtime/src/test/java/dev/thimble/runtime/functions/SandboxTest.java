package dev.thimble.runtime.functions;

import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Hostile code fails cleanly, as a JS error or a limit, and never takes the engine down: while it
 * runs, another execution on another thread keeps being answered. (The allocation loop is in
 * {@link HeapGuardTest}, which needs a JVM with a small heap.)
 */
class SandboxTest {
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("ping", UnderAttack.PING_SOURCE)
                .function("spin", "exports = function() {\n  while (true) {}\n};")
                .function("asyncSpin", "exports = async function() {\n  await null;\n  for (;;) {}\n};")
                .function("recurse", "exports = function() {\n  function down(n) { return down(n + 1) + 1; }\n  return down(0);\n};")
                .function("recurseViaContext", "exports = function(n) {\n  return context.functions.execute('recurseViaContext', (n || 0) + 1);\n};")
                .function("waitsForever", "exports = function() { return new Promise(() => {}); };")
                .function("javaType", "exports = function() { return Java.type('java.lang.System').getProperty('user.home'); };")
                .function("exec", "exports = function() { return Java.type('java.lang.Runtime').getRuntime().exec('id'); };")
                .function("load", "exports = function() { return load('/etc/passwd'); };")
                .function("requireFs", "exports = function() { return require('fs').readFileSync('/etc/passwd'); };")
                .function("polyglot", "exports = function() { return Polyglot.eval('js', '1'); };")
                .function("process", "exports = function() { return process.binding('fs'); };")
                .function("processEnv", "exports = function() { return [typeof process.env.HOME, Object.keys(process.env).length]; };")
                .function("childProcess", "exports = function() { return require('child_process').execSync('id'); };")
                .function("fsWrite", "exports = function() { return require('fs').writeFileSync('/tmp/x', 'y'); };")
                .function("netServer", "exports = function() { return require('http').createServer(); };")
                .function("escapeModules", "exports = function() { return require('../../../../etc/passwd'); };")
                .function("internalsUnreachable", "exports = function() {\n"
                        + "  return [typeof thimble, typeof require('os').thimble, require.resolve('crypto')];\n};")
                .function("quit", "exports = function() { quit(); };")
                .function("hostBridge", "exports = function() {\n"
                        + "  return [typeof host, Object.getOwnPropertyNames(globalThis).filter(n => /host|bridge/i.test(n))];\n};")
                .function("busy", "exports = function(ms) { const end = Date.now() + ms; while (Date.now() < end) {} return 'done'; };")
                .build()).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static FunctionResult attack(String name, Duration timeLimit) {
        return engine.execute(name, List.of(), ExecutionRequest.asUser(ALICE).withTimeLimit(timeLimit));
    }

    private static void assertVictimKeptBeingAnswered(UnderAttack.Outcome<?> outcome) {
        System.out.printf("victim during attack: %d answers, worst %d ms, median %d ms%n", outcome.victimMillis().size(),
                outcome.worstMillis(), outcome.victimMillis().stream().sorted().toList().get(outcome.victimMillis().size() / 2));
        assertThat(outcome.victimFailures()).isEmpty();
        // No bound on how long an answer took: on a loaded machine a ping next to a spinning attacker can take
        // seconds. What must hold is that every call was answered and none hung (UnderAttack records a hang).
        assertThat(outcome.victimMillis()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void anInfiniteLoopIsStoppedAtTheTimeLimitWhileOthersAreAnswered() {
        UnderAttack.Outcome<FunctionResult> outcome = UnderAttack.run(engine, () -> attack("spin", Functions.SHORT));

        FunctionResult result = outcome.attack();
        assertThat(result.error()).isEqualTo(FunctionError.of(FunctionError.Kind.TIME_LIMIT, "Function spin exceeded its time limit of 300 ms"));
        assertThat(result.error().code()).isEqualTo("ExecutionTimeLimitExceeded");
        assertThat(result.duration()).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        assertThatThrownBy(result::orThrow).isInstanceOf(FunctionTimeoutException.class)
                .hasMessage("Function spin exceeded its time limit of 300 ms");
        assertVictimKeptBeingAnswered(outcome);
    }

    @Test
    void aLoopAfterAnAwaitIsStoppedToo() {
        assertThat(attack("asyncSpin", Functions.SHORT).error().kind()).isEqualTo(FunctionError.Kind.TIME_LIMIT);
    }

    @Test
    void deepRecursionIsARangeErrorWithTheUsersFrames() {
        UnderAttack.Outcome<FunctionResult> outcome = UnderAttack.run(engine, () -> attack("recurse", Duration.ofSeconds(20)));

        FunctionError error = outcome.attack().error();
        assertThat(error.kind()).isEqualTo(FunctionError.Kind.THROWN);
        assertThat(error.name()).isEqualTo("RangeError");
        assertThat(error.message()).isEqualTo("Maximum call stack size exceeded");
        assertThat(error.stack()).isNotEmpty().allMatch(frame -> frame.startsWith("at down (functions/recurse/source.js:2:"));
        assertVictimKeptBeingAnswered(outcome);
    }

    @Test
    void deepRecursionThroughNestedCallsIsARangeErrorToo() {
        FunctionError error = attack("recurseViaContext", Duration.ofSeconds(20)).error();
        assertThat(error.name()).isEqualTo("RangeError");
        assertThat(error.message()).isEqualTo("Maximum call stack size exceeded");
    }

    @Test
    void aPromiseThatCanNeverSettleFailsAtOnce() {
        FunctionResult result = attack("waitsForever", Duration.ofSeconds(20));
        assertThat(result.error().message()).isEqualTo("the promise returned by function 'waitsForever' never settles: nothing it waits for is pending");
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void hostAccessFileLoadingModulesPolyglotAndProcessFailAsClearJsErrors() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("javaType", "TypeError: Access to host class java.lang.System is not allowed or does not exist.");
        expected.put("exec", "TypeError: Access to host class java.lang.Runtime is not allowed or does not exist.");
        expected.put("load", "ReferenceError: load is not defined");
        expected.put("requireFs", "Error: ENOENT: no such file or directory, readFile '/etc/passwd' (Thimble functions have no file system)");
        expected.put("childProcess", "Error: require('child_process'): Node's child_process module is not available in Thimble functions (functions cannot start processes)");
        expected.put("fsWrite", "Error: fs.writeFileSync is not available in Thimble functions: they cannot write files (keep data in the database)");
        expected.put("netServer", "Error: http.createServer is not available in Thimble functions: they cannot listen for connections (use an HTTPS endpoint or a webhook)");
        expected.put("escapeModules", "Error: require('../../../../etc/passwd'): a function file cannot require local files (App Services had none either);"
                + " put shared code in a function and call it with context.functions.execute, or in a package under functions/node_modules");
        expected.put("polyglot", "ReferenceError: Polyglot is not defined");
        expected.put("process", "Error: process.binding is not available in Thimble functions");
        expected.put("quit", "ReferenceError: quit is not defined");

        UnderAttack.Outcome<Map<String, FunctionError>> outcome = UnderAttack.run(engine, () -> {
            Map<String, FunctionError> errors = new LinkedHashMap<>();
            expected.keySet().forEach(name -> errors.put(name, attack(name, Duration.ofSeconds(20)).error()));
            return errors;
        });

        outcome.attack().forEach((name, error) -> {
            assertThat(error.kind()).as(name).isEqualTo(FunctionError.Kind.THROWN);
            assertThat(error.name() + ": " + error.message()).as(name).isEqualTo(expected.get(name));
            assertThat(error.stack()).as(name).anyMatch(frame -> frame.contains("(functions/" + name + "/source.js:1:"));
        });
        assertVictimKeptBeingAnswered(outcome);
    }

    @Test
    void processHasNoEnvironmentAndBuiltInModulesDoNotHandTheirBridgeToUserCode() {
        assertThat(attack("processEnv", Duration.ofSeconds(20)).value()).isEqualTo(Functions.ejson("[\"undefined\", 0]"));
        assertThat(attack("internalsUnreachable", Duration.ofSeconds(20)).value()).isEqualTo(Functions.ejson("[\"undefined\", \"undefined\", \"crypto\"]"));
    }

    @Test
    void theHostBridgeIsNotReachableFromUserCode() {
        assertThat(attack("hostBridge", Duration.ofSeconds(20)).value()).isEqualTo(Functions.ejson("[\"undefined\", []]"));
    }

    @Test
    void theStatementLimitStopsARunawayLoopAsABackstop() {
        FunctionEngine limited = FunctionEngine.builder(engine.app()).limits(Functions.TEST_LIMITS.withStatementLimit(50_000)).build();
        try (limited) {
            FunctionResult result = limited.execute("spin", List.of(), ExecutionRequest.asSystem());
            assertThat(result.error()).isEqualTo(FunctionError.of(FunctionError.Kind.STATEMENT_LIMIT,
                    "Function spin exceeded its statement limit of 50000 statements"));
            assertThat(limited.execute("ping", List.of(), ExecutionRequest.asSystem()).value()).isEqualTo(new BsonString("pong"));
        }
    }

    @Test
    void executionsBeyondTheConcurrencyCapAreRefusedWithADistinctException() throws Exception {
        FunctionEngine capped = FunctionEngine.builder(engine.app()).limits(Functions.TEST_LIMITS.withMaxConcurrentExecutions(1)).build();
        try (capped) {
            CompletableFuture<FunctionResult> busy = CompletableFuture.supplyAsync(() ->
                    capped.execute("busy", List.of(new org.bson.BsonInt32(1500)), ExecutionRequest.asSystem()));
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (capped.runningExecutions() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            TooManyExecutionsException refused = catchThrowableOfType(TooManyExecutionsException.class,
                    () -> capped.execute("ping", List.of(), ExecutionRequest.asSystem()));
            assertThat(refused.limit()).isEqualTo(1);
            assertThat(refused).hasMessage("too many function executions at once (the limit is 1); try again shortly");
            assertThat(busy.get().value()).isEqualTo(new BsonString("done"));
            assertThat(capped.execute("ping", List.of(), ExecutionRequest.asSystem()).value()).isEqualTo(new BsonString("pong"));
        }
    }

    @Test
    void anInternalFaultGivesTheCallerAGenericMessageWithoutJavaDetails() {
        FunctionEngine faulty = FunctionEngine.builder(TestApp.app()
                        .function("guarded", "{\"can_evaluate\": {\"%%true\": true}}", "exports = () => 1;").build())
                .canEvaluate((function, expression, arguments, caller, request) -> {
                    throw new IllegalStateException("rules cache at dev.thimble.Internal is corrupt");
                })
                .limits(Functions.TEST_LIMITS)
                .build();
        try (faulty) {
            FunctionError error = faulty.execute("guarded", List.of(), ExecutionRequest.asSystem()).error();
            assertThat(error.kind()).isEqualTo(FunctionError.Kind.INTERNAL);
            assertThat(error.code()).isEqualTo("InternalServerError");
            assertThat(error.message()).matches("internal error while running function 'guarded' \\(incident [0-9a-f]{8}; details are in the server log\\)");
        }
    }
}
