package dev.thimble.runtime.functions;

import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

class SourceFormsTest {
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                .function("plain", "exports = function(a, b) { return a + b; };")
                .function("asyncFn", "exports = async function(a) { return a * 2; };")
                .function("arrow", "exports = (a) => a + 1;")
                .function("asyncArrow", "exports = async (a) => { await null; return a + 3; };")
                .function("varExports", "var exports = function(a) { return 'var ' + a; };")
                .function("moduleGuard", "exports = function() { return 'guarded'; };\nif (typeof module === 'object') module.exports = exports;")
                .function("moduleOnly", "module.exports = function() { return 'module'; };")
                .function("moduleType", "exports = function() { return typeof module; };\nif (typeof module !== 'undefined') module.exports = { wrong: true };")
                .function("strict", "'use strict';\nexports = function() { return (function() { return this; })() === undefined; };")
                .function("helpers", "const PREFIX = 'item-';\nfunction label(n) { return PREFIX + n; }\nexports = function(n) { return label(n); };")
                .function("trailingComment", "exports = function() { return 'ok'; } // no newline after this comment")
                .function("noExports", "function handler() { return 1; }")
                .function("broken", "exports = function() {\n  return 1 +;\n};")
                .build()).limits(Functions.TEST_LIMITS).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void exportsAssignedAFunctionIsCalledWithTheArguments() {
        assertThat(value(engine, "plain", new BsonInt32(2), new BsonInt32(3))).isEqualTo(new BsonInt32(5));
    }

    @Test
    void anAsyncFunctionIsAwaited() {
        assertThat(value(engine, "asyncFn", new BsonInt32(21))).isEqualTo(new BsonInt32(42));
    }

    @Test
    void arrowFunctionsWork() {
        assertThat(value(engine, "arrow", new BsonInt32(1))).isEqualTo(new BsonInt32(2));
        assertThat(value(engine, "asyncArrow", new BsonInt32(1))).isEqualTo(new BsonInt32(4));
    }

    @Test
    void varExportsWorks() {
        assertThat(value(engine, "varExports", new BsonString("x"))).isEqualTo(new BsonString("var x"));
    }

    @Test
    void aTrailingModuleExportsGuardIsHarmless() {
        assertThat(value(engine, "moduleGuard")).isEqualTo(new BsonString("guarded"));
    }

    @Test
    void moduleIsUndefinedInAFunctionFileAsInAppServices() {
        FunctionResult result = run(engine, "moduleOnly");
        assertThat(result.error().name()).isEqualTo("ReferenceError");
        assertThat(result.error().message()).contains("module is not defined");
        assertThat(value(engine, "moduleType")).isEqualTo(new BsonString("undefined"));
    }

    @Test
    void aLeadingUseStrictStaysADirective() {
        assertThat(value(engine, "strict")).isEqualTo(org.bson.BsonBoolean.TRUE);
    }

    @Test
    void helpersDefinedInTheFileAreVisible() {
        assertThat(value(engine, "helpers", new BsonInt32(7))).isEqualTo(new BsonString("item-7"));
    }

    @Test
    void aSourceEndingInALineCommentStillWorks() {
        assertThat(value(engine, "trailingComment")).isEqualTo(new BsonString("ok"));
    }

    @Test
    void aSourceThatExportsNothingIsReportedAsInvalid() {
        FunctionResult result = run(engine, "noExports");
        assertThat(result.error().kind()).isEqualTo(FunctionError.Kind.INVALID);
        assertThat(result.error().code()).isEqualTo("FunctionInvalid");
        assertThat(result.error().message()).isEqualTo("functions/noExports/source.js must assign a function to exports (it left exports undefined)");
    }

    @Test
    void aSyntaxErrorIsFoundAtLoadAndReportedWithItsLine() {
        assertThat(engine.problems()).extracting(FunctionProblem::functionName, FunctionProblem::sourcePath, FunctionProblem::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("broken", "functions/broken/source.js", 2));
        FunctionResult result = run(engine, "broken");
        assertThat(result.error().kind()).isEqualTo(FunctionError.Kind.SYNTAX_ERROR);
        assertThat(result.error().code()).isEqualTo("FunctionSyntaxError");
        assertThat(result.error().stack()).containsExactly("at functions/broken/source.js:2");
    }

    @Test
    void sourcesAreNamedByTheirBundlePathWithAStableUri() {
        assertThat(engine.compiledSource("plain").getName()).isEqualTo("functions/plain/source.js");
        assertThat(engine.compiledSource("plain").getURI()).isEqualTo(java.net.URI.create("thimble:/testapp-abcde/functions/plain/source.js"));
        try (FunctionEngine rooted = FunctionEngine.builder(engine.app()).sourceRoot(java.net.URI.create("file:/apps/todo/")).build()) {
            assertThat(rooted.compiledSource("plain").getURI()).isEqualTo(java.net.URI.create("file:/apps/todo/functions/plain/source.js"));
        }
    }

    @Test
    void anUnknownFunctionIsNotFound() {
        FunctionResult result = run(engine, "nope");
        assertThat(result.error()).isEqualTo(FunctionError.of(FunctionError.Kind.NOT_FOUND, "function not found: 'nope'"));
        assertThat(result.error().code()).isEqualTo("FunctionNotFound");
    }

    @Test
    void aThrownErrorCarriesItsMessageAndTheUsersFileAndLine() {
        FunctionEngine thrower = FunctionEngine.builder(TestApp.app()
                .function("thrower", "exports = function() {\n  const x = 1;\n  throw new TypeError('bad input ' + x);\n};")
                .function("rejecter", "exports = async function() {\n  await null;\n  throw new Error('later');\n};")
                .function("throwsString", "exports = function() { throw 'just a string'; };")
                .build()).limits(Functions.TEST_LIMITS).build();
        try (thrower) {
            FunctionResult result = run(thrower, "thrower");
            assertThat(result.error()).isEqualTo(new FunctionError(FunctionError.Kind.THROWN, "TypeError", "bad input 1",
                    List.of("at exports (functions/thrower/source.js:3:9)")));
            assertThat(result.error().code()).isEqualTo("FunctionExecutionError");

            FunctionResult rejected = run(thrower, "rejecter");
            assertThat(rejected.error().message()).isEqualTo("later");
            assertThat(rejected.error().stack()).containsExactly("at exports (functions/rejecter/source.js:3:9)");

            assertThat(run(thrower, "throwsString").error().message()).isEqualTo("just a string");
        }
    }
}
