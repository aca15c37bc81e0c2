package dev.thimble.runtime.functions;

import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code context.functions.execute}: calls within one execution, same Context and thread. */
class NestedCallsTest {
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("add", "exports = function(a, b) { return a + b; };")
                .function("slowDouble", "exports = async function(x) { await null; return x * 2; };")
                .function("callsSync", "exports = function() { return context.functions.execute('add', 2, 3); };")
                .function("callsAsync", "exports = async function(x) {\n"
                        + "  const pending = context.functions.execute('slowDouble', x);\n"
                        + "  return [pending instanceof Promise, await pending];\n"
                        + "};")
                .function("fails", "exports = function() {\n  throw new Error('inner failure');\n};")
                .function("catchesNested", "exports = function() {\n"
                        + "  try { context.functions.execute('fails'); } catch (e) { return 'caught: ' + e.message; }\n"
                        + "};")
                .function("callsMissing", "exports = function() { return context.functions.execute('nope'); };")
                .function("uncaughtNested", "exports = function() {\n  return context.functions.execute('fails');\n};")
                .function("counter", "let calls = 0;\nexports = function() { return ++calls; };")
                .function("callsCounterTwice", "exports = function() {\n"
                        + "  return [context.functions.execute('counter'), context.functions.execute('counter')];\n"
                        + "};")
                .function("private", "{\"private\": true}", "exports = function() { return 'secret stuff'; };")
                .function("callsPrivate", "exports = function() { return context.functions.execute('private'); };")
                .function("fib", "exports = function(n) {\n"
                        + "  return n < 2 ? n : context.functions.execute('fib', n - 1) + context.functions.execute('fib', n - 2);\n"
                        + "};")
                .build()).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void aSyncCalleeReturnsItsValueDirectly() {
        assertThat(value(engine, "callsSync")).isEqualTo(new BsonInt32(5));
    }

    @Test
    void anAsyncCalleeReturnsAPromiseTheCallerAwaits() {
        assertThat(value(engine, "callsAsync", new BsonInt32(21))).isEqualTo(ejson("[true, 42]"));
    }

    @Test
    void aCalleesErrorCanBeCaughtByTheCaller() {
        assertThat(value(engine, "catchesNested")).isEqualTo(new BsonString("caught: inner failure"));
    }

    @Test
    void anUncaughtCalleeErrorFailsTheExecutionWithTheCalleesFrames() {
        FunctionResult result = run(engine, "uncaughtNested");
        assertThat(result.error().message()).isEqualTo("inner failure");
        assertThat(result.error().stack()).containsExactly(
                "at exports (functions/fails/source.js:2:9)",
                "at exports (functions/uncaughtNested/source.js:2:28)");
    }

    @Test
    void callingAnUnknownFunctionThrowsFunctionNotFound() {
        assertThat(run(engine, "callsMissing").error().message()).isEqualTo("function not found: 'nope'");
    }

    @Test
    void aFunctionIsInstantiatedOncePerExecutionSoModuleStateIsShared() {
        assertThat(value(engine, "callsCounterTwice")).isEqualTo(ejson("[1, 2]"));
        assertThat(value(engine, "callsCounterTwice")).as("a new execution starts from fresh module state").isEqualTo(ejson("[1, 2]"));
    }

    @Test
    void otherFunctionsMayCallPrivateFunctions() {
        FunctionResult fromClient = engine.executeFromClient("callsPrivate", java.util.List.of(), ExecutionRequest.asUser(Functions.ALICE));
        assertThat(fromClient.value()).isEqualTo(new BsonString("secret stuff"));
    }

    @Test
    void recursionThroughNestedCallsWorks() {
        assertThat(value(engine, "fib", new BsonInt32(10))).isEqualTo(new BsonInt32(55));
    }
}
