package dev.thimble.runtime.functions;

import dev.thimble.runtime.app.AppModel;
import org.bson.BsonString;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link FunctionEngine#reload}: a new app version without a restart, re-parsing only what changed. */
class HotReloadTest {

    private static AppModel version(String greeting, boolean greetIsPrivate) {
        return TestApp.app()
                .function("stable", "exports = function() { return 'unchanged'; };")
                .function("greet", greetIsPrivate ? "{\"private\": true}" : "{}", "exports = function() { return '" + greeting + "'; };")
                .build();
    }

    @Test
    void reloadReparsesOnlyTheFunctionWhoseSourceChanged() {
        try (FunctionEngine engine = FunctionEngine.builder(version("hello", false)).limits(Functions.TEST_LIMITS).build()) {
            Source stableBefore = engine.compiledSource("stable");
            Source greetBefore = engine.compiledSource("greet");
            long parsesBefore = engine.parseCount();

            engine.reload(version("bonjour", false));

            assertThat(engine.compiledSource("stable")).isSameAs(stableBefore);
            assertThat(engine.compiledSource("greet")).isNotSameAs(greetBefore);
            assertThat(engine.parseCount()).isEqualTo(parsesBefore + 1);
            assertThat(value(engine, "greet")).isEqualTo(new BsonString("bonjour"));
            assertThat(value(engine, "stable")).isEqualTo(new BsonString("unchanged"));
        }
    }

    @Test
    void aConfigOnlyChangeKeepsTheParsedSourceAndTakesEffect() {
        try (FunctionEngine engine = FunctionEngine.builder(version("hello", false)).limits(Functions.TEST_LIMITS).build()) {
            Source greetBefore = engine.compiledSource("greet");
            long parsesBefore = engine.parseCount();

            engine.reload(version("hello", true));

            assertThat(engine.compiledSource("greet")).isSameAs(greetBefore);
            assertThat(engine.parseCount()).isEqualTo(parsesBefore);
            assertThat(engine.executeFromClient("greet", List.of(), ExecutionRequest.asUser(ALICE)).error().kind())
                    .isEqualTo(FunctionError.Kind.NOT_CALLABLE);
        }
    }

    @Test
    void addedFunctionsRunAndRemovedOnesAreNotFound() {
        try (FunctionEngine engine = FunctionEngine.builder(version("hello", false)).limits(Functions.TEST_LIMITS).build()) {
            engine.reload(TestApp.app().function("added", "exports = () => 'new';").build());

            assertThat(value(engine, "added")).isEqualTo(new BsonString("new"));
            assertThat(Functions.run(engine, "greet").error().kind()).isEqualTo(FunctionError.Kind.NOT_FOUND);
            assertThat(engine.compiledSource("greet")).isNull();
        }
    }

    @Test
    void aReloadThatBreaksAFunctionReportsItAndTheOthersKeepRunning() {
        try (FunctionEngine engine = FunctionEngine.builder(version("hello", false)).limits(Functions.TEST_LIMITS).build()) {
            engine.reload(TestApp.app()
                    .function("stable", "exports = function() { return 'unchanged'; };")
                    .function("greet", "exports = function() {\n  return 'unterminated;\n};")
                    .build());

            assertThat(engine.problems()).extracting(FunctionProblem::functionName, FunctionProblem::line)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("greet", 2));
            assertThat(Functions.run(engine, "greet").error().kind()).isEqualTo(FunctionError.Kind.SYNTAX_ERROR);
            assertThat(value(engine, "stable")).isEqualTo(new BsonString("unchanged"));
        }
    }
}
