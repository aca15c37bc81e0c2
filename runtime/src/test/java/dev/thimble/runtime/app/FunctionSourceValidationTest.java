package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static dev.thimble.runtime.app.TestApp.app;
import static org.assertj.core.api.Assertions.assertThat;

/** Function and webhook sources are parsed by GraalJS, never run. */
class FunctionSourceValidationTest {

    @Test
    void syntaxErrorNamesTheSourceFileAndLine() {
        List<Problem> problems = app().function("addItem", """
                exports = function(item) {
                  const doc = { text: item.text, ;
                  return doc;
                };""").validate();

        assertThat(problems).containsExactly(Problem.error("functions/addItem/source.js", "line 2",
                "Expected ident but found ; (column 34)"));
    }

    @Test
    void aParsingContextMadeAheadOnAnotherThreadReportsTheSameErrors() {
        // thimble validate and serve make the context while the bundle is read; the validation that follows takes it over
        FunctionSourceChecker.prepareInBackground();
        List<Problem> problems = app().function("addItem", """
                exports = function(item) {
                  const doc = { text: item.text, ;
                  return doc;
                };""").function("ok", "exports = function() { return 1; };").validate();

        assertThat(problems).containsExactly(Problem.error("functions/addItem/source.js", "line 2",
                "Expected ident but found ; (column 34)"));
    }

    @Test
    void syntaxErrorOnTheFirstLineGivesTheColumnOfTheOriginalSource() {
        assertThat(app().function("f", "exports = function( { return 1; };").validate()).containsExactly(
                Problem.error("functions/f/source.js", "line 1", "Expected : but found 1 (column 30)"));
    }

    @Test
    void sourceThatEndsTooEarlyIsReportedAtItsLastLine() {
        assertThat(app().function("f", "exports = function() {\n  return `unterminated;\n};").validate()).containsExactly(
                Problem.error("functions/f/source.js", "line 3", "Missing close quote (reached the end of the file; is a closing bracket or quote missing?)"));
    }

    @Test
    void syntaxErrorNamesTheFileOfAnImportedBundle() {
        List<Problem> problems = app().function("orders/create", "exports = function() {\n  return 1 +;\n};")
                .origin("function-source:orders/create", "functions/orders/create.js")
                .validate();

        assertThat(problems).containsExactly(Problem.error("functions/orders/create.js", "line 2",
                "Expected an operand but found ; (column 13)"));
    }

    @Test
    void everyBrokenSourceIsReported() {
        List<Problem> problems = app()
                .function("a", "exports = function() { return 1 +; };")
                .function("b", "exports = () => {\n  let let = 1;\n};")
                .validate();

        assertThat(problems).extracting(Problem::file, Problem::field).containsExactly(
                org.assertj.core.api.Assertions.tuple("functions/a/source.js", "line 1"),
                org.assertj.core.api.Assertions.tuple("functions/b/source.js", "line 2"));
    }

    @Test
    void sourceThatNeverAssignsExportsIsAWarning() {
        assertThat(app().function("helper", "function helper(x) { return x * 2; }").validate()).containsExactly(
                Problem.warning("functions/helper/source.js", "", "the source never assigns exports, so calling it returns"
                        + " undefined; expected exports = function(...) { ... }"));
    }

    @Test
    void everyStitchSourceFormParses() {
        assertThat(app()
                .function("a", "var exports = function(a, b) { return a + b; };")
                .function("b", "exports = async (x) => { for await (const y of x) {} return x?.length ?? 0; };")
                .function("c", "const helper = (s) => s.trim();\nexports = function(s) { return helper(s); };\n"
                        + "if (typeof module === 'object') module.exports = exports;")
                .function("d", "exports = function() {\n  class Box { #v = 1; get v() { return this.#v; } }\n  return new Box().v;\n}\n// done")
                .validate()).isEmpty();
    }

    @Test
    @Timeout(30)
    void sourcesAreParsedNeverRun() {
        assertThat(app()
                .function("spin", "while (true) {}\nexports = function() {};")
                .function("boom", "throw new Error('ran');\nexports = function() {};")
                .validate()).isEmpty();
    }

    @Test
    void emptySourceIsAnError() {
        assertThat(app().function("f", "  \n").validate()).containsExactly(Problem.error("functions/f/source.js", "",
                "the source is empty; expected exports = function(...) { ... }"));
    }

    @Test
    void webhookSyntaxErrorNamesTheWebhookSource() {
        List<Problem> problems = app().service(TestApp.http("http", List.of(), List.of(TestApp.webhook("""
                {"name": "in", "options": {"httpMethod": "POST", "validationMethod": "NO_VALIDATION"}}""",
                "exports = function(payload, response) {\n  response.setStatusCode(200\n};")))).validate();

        assertThat(problems).containsExactly(Problem.error("services/http/incoming_webhooks/in/source.js", "line 3",
                "Expected , but found } (column 1)"));
    }

    @Test
    void runAsUserScriptMustParse() {
        List<Problem> problems = app().functionConfig("""
                {"name": "f", "run_as_user_id_script_source": "exports = function() { return context.user.id "}""",
                TestApp.SOURCE).validate();

        assertThat(problems).containsExactly(Problem.error("functions/f/config.json", "run_as_user_id_script_source",
                "does not parse as JavaScript: Expected ; but found ) (reached the end of the file;"
                        + " is a closing bracket or quote missing?) (line 1)"));
    }
}
