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

/**
 * The language level real function code relies on (the target's §1.5): sloppy mode with implicit
 * globals, the {@code exports} binding, one global object per request shared by nested
 * {@code context.functions.execute} calls (one calls a "utils" function that installs globals and patches
 * prototypes, the caller uses them), and a fresh global object for the next request.
 */
class NodeRuntimeTest {
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("implicit", "exports = function() {\n  result = 40;\n  result += 2;\n  return [result, globalThis.result, typeof window];\n};")
                .function("implicitInHelper", "function setUp() { SCHEME = 'https'; }\nexports = function() { setUp(); return SCHEME + '://x'; };")
                .function("withStatement", "exports = function() { var o = {a: 1}; with (o) { a = 2; } return o.a; };")
                .function("octal", "exports = function() { return 010; };")
                .function("utils", """
                        exports = function() {
                          ENV = 'test';
                          logAndThrow = function(message) { console.log(message); throw new Error(message); };
                          Array.prototype.last = function() { return this[this.length - 1]; };
                          const log = console.log;
                          console.logVerbose = function(...args) { log('[verbose]', ...args); };
                          fetch = function(url) { return 'fetched ' + url; };
                        };""")
                .function("usesUtils", """
                        exports = async function() {
                          context.functions.execute('utils');
                          console.logVerbose('hello');
                          let caught;
                          try { logAndThrow('bad'); } catch (e) { caught = e.message; }
                          return { env: ENV, last: [1, 2, 3].last(), fetched: fetch('u'), caught, fromCallee: await context.functions.execute('readsGlobal') };
                        };""")
                .function("readsGlobal", "exports = function() { return typeof ENV === 'undefined' ? 'no global' : ENV + ' seen by callee'; };")
                .function("countsRequires", """
                        exports = function() {
                          const first = require('crypto');
                          context.functions.execute('requiresToo');
                          return first === SHARED_CRYPTO;
                        };""")
                .function("requiresToo", "exports = function() { SHARED_CRYPTO = require('crypto'); };")
                .function("varExports", "var exports = function(a) { return a * 2; };")
                .function("exportsThenReassigned", "exports = function() { return 1; };\nexports = function() { return 2; };")
                .function("topLevelRuns", "var calls = (typeof calls === 'number' ? calls : 0) + 1;\nTOP_LEVEL_RAN = true;\nexports = function() { return TOP_LEVEL_RAN; };")
                .build()).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void assigningAnUndeclaredNameMakesAGlobalAsInSloppyMode() {
        assertThat(value(engine, "implicit")).isEqualTo(ejson("[42, 42, \"undefined\"]"));
        assertThat(value(engine, "implicitInHelper")).isEqualTo(new BsonString("https://x"));
        assertThat(value(engine, "withStatement")).isEqualTo(new BsonInt32(2));
        assertThat(value(engine, "octal")).isEqualTo(new BsonInt32(8));
    }

    @Test
    void nestedCallsShareTheRequestsOneGlobalObject() {
        FunctionResult result = run(engine, "usesUtils");
        assertThat(result.error()).isNull();
        assertThat(result.value()).isEqualTo(ejson("{\"env\": \"test\", \"last\": 3, \"fetched\": \"fetched u\", \"caught\": \"bad\", \"fromCallee\": \"test seen by callee\"}"));
        assertThat(result.logs()).extracting(LogLine::message).contains("[verbose] hello", "bad");
    }

    @Test
    void theNextRequestStartsWithAFreshGlobalObject() {
        assertThat(value(engine, "usesUtils").asDocument().getString("env").getValue()).isEqualTo("test");
        assertThat(value(engine, "readsGlobal")).isEqualTo(new BsonString("no global"));
    }

    @Test
    void modulesAreLoadedOncePerRequestAndSharedByNestedCalls() {
        assertThat(value(engine, "countsRequires")).isEqualTo(org.bson.BsonBoolean.TRUE);
    }

    @Test
    void exportsIsAnOrdinaryWritableBindingAndTopLevelCodeRuns() {
        assertThat(value(engine, "varExports", new BsonInt32(4))).isEqualTo(new BsonInt32(8));
        assertThat(value(engine, "exportsThenReassigned")).isEqualTo(new BsonInt32(2));
        assertThat(value(engine, "topLevelRuns")).isEqualTo(org.bson.BsonBoolean.TRUE);
    }
}
