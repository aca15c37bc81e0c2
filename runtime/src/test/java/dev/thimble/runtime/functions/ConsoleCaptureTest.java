package dev.thimble.runtime.functions;

import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.thimble.runtime.functions.Functions.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code console.*} output is captured per execution, formatted like Node's, and capped. */
class ConsoleCaptureTest {
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("eval", "exports = function(source) { return (0, eval)(source); };")
                .function("logsAndCalls", "exports = function() {\n"
                        + "  console.log('outer before');\n  context.functions.execute('inner');\n  console.log('outer after');\n};")
                .function("inner", "exports = function() { console.info('inner'); };")
                .function("logsThenThrows", "exports = function() { console.error('about to fail'); throw new Error('failed'); };")
                .build()).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static FunctionResult eval(String source) {
        return run(engine, "eval", new BsonString(source));
    }

    @Test
    void everyLevelIsCapturedInOrder() {
        FunctionResult result = eval("console.log('a'); console.info('b'); console.warn('c'); console.error('d'); console.debug('e');");
        assertThat(result.logs()).containsExactly(new LogLine("log", "a"), new LogLine("info", "b"), new LogLine("warn", "c"),
                new LogLine("error", "d"), new LogLine("debug", "e"));
        assertThat(result.messages()).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void valuesAreFormattedLikeNodeInspect() {
        FunctionResult result = eval("""
                console.log('doc', { n: 1, s: 'text', ok: true, nil: null, id: new BSON.ObjectId('5f1d7b2c9d3e2a0012345678') });
                console.log([1, [2, [3, [4]]]], new Date(0), /x+/g, BSON.Long.fromString('12'), undefined);
                const loop = { name: 'loop' }; loop.self = loop; console.log(loop);
                """);
        assertThat(result.messages()).containsExactly(
                "doc { n: 1, s: 'text', ok: true, nil: null, id: new ObjectId(\"5f1d7b2c9d3e2a0012345678\") }",
                "[ 1, [ 2, [ 3, [Array] ] ] ] 1970-01-01T00:00:00.000Z /x+/g new Long(\"12\") undefined",
                "{ name: 'loop', self: [Circular] }");
    }

    @Test
    void formatSpecifiersAreApplied() {
        assertThat(eval("console.log('%s is %d years, %j', 'Bob', 42, { a: 1 }, 'extra')").messages())
                .containsExactly("Bob is 42 years, {\"a\":1} extra");
    }

    @Test
    void outputPastTheCapIsDroppedAndTheCutIsNoted() {
        FunctionEngine capped = FunctionEngine.builder(engine.app()).limits(Functions.TEST_LIMITS.withLogCapChars(100)).build();
        FunctionResult result;
        try (capped) {
            result = run(capped, "eval", new BsonString("for (let i = 0; i < 50; i++) console.log('line ' + i + ' ' + 'x'.repeat(10));"));
        }
        assertThat(result.logsTruncated()).isTrue();
        assertThat(result.messages()).hasSize(7).last()
                .isEqualTo("... log output truncated: this execution wrote more than 100 characters");
        assertThat(String.join("", result.messages().subList(0, 6))).hasSize(100);
    }

    @Test
    void nestedCallsLogIntoTheSameExecution() {
        assertThat(run(engine, "logsAndCalls").messages()).containsExactly("outer before", "inner", "outer after");
    }

    @Test
    void aFailedExecutionKeepsItsLogs() {
        FunctionResult result = run(engine, "logsThenThrows");
        assertThat(result.succeeded()).isFalse();
        assertThat(result.logs()).containsExactly(new LogLine("error", "about to fail"));
    }
}
