package dev.thimble.runtime.rules;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The case runner's own parts: projections, the comparison of visible documents, values and stubbed functions. */
class RuleCaseRunnerTest {
    static final AppModel TODO = AppBundles.read(Path.of("..", "examples", "todo")).app();
    static final RuleCaseRunner RUNNER = RuleCaseRunner.forApp(TODO, Map.of(), Map.of(), user -> FunctionCaller.UNAVAILABLE);
    static final String ITEM = "{\"_id\": {\"$oid\": \"65a0000000000000000000f1\"}, \"owner_id\": \"ann\", \"text\": \"milk\","
            + " \"done\": false, \"tags\": [{\"k\": \"a\", \"v\": 1}, {\"k\": \"b\", \"v\": 2}]}";

    @Test
    void projectionsIncludeOrExcludePlainAndDottedPaths() {
        Document doc = Document.parse(ITEM);

        assertThat(RuleCaseRunner.project(doc, Document.parse("{text: 1, 'tags.k': 1}")).toJson())
                .isEqualTo("{\"_id\": {\"$oid\": \"65a0000000000000000000f1\"}, \"text\": \"milk\", \"tags\": [{\"k\": \"a\"}, {\"k\": \"b\"}]}");
        assertThat(RuleCaseRunner.project(doc, Document.parse("{_id: 0, tags: {v: 0}, done: 0}")).toJson())
                .isEqualTo("{\"owner_id\": \"ann\", \"text\": \"milk\", \"tags\": [{\"k\": \"a\"}, {\"k\": \"b\"}]}");
        assertThat(RuleCaseRunner.project(doc, Document.parse("{_id: 1}")).keySet()).containsExactly("_id");
        assertThat(doc.toJson()).as("the document itself is unchanged").isEqualTo(Document.parse(ITEM).toJson());
        assertThatThrownBy(() -> RuleCaseRunner.project(doc, Document.parse("{text: 1, done: 0}")))
                .isInstanceOf(RuleCaseException.class).hasMessageContaining("either includes or excludes");
        assertThatThrownBy(() -> RuleCaseRunner.project(doc, Document.parse("{tags: {$slice: 1}}")))
                .isInstanceOf(RuleCaseException.class).hasMessageContaining("$slice");
    }

    @Test
    void visibleDocumentsCompareFieldsInAnyOrderAndNumbersByValue() {
        String expect = "{\"tags\": [{\"v\": {\"$numberLong\": \"1\"}, \"k\": \"a\"}, {\"k\": \"b\", \"v\": 2.0}], \"done\": false,"
                + " \"text\": \"milk\", \"owner_id\": \"ann\", \"_id\": {\"$oid\": \"65a0000000000000000000f1\"}}";

        RuleCaseResult same = RUNNER.run(readAsAnn(expect));
        RuleCaseResult different = RUNNER.run(readAsAnn(expect.replace("2.0", "3").replace("\"done\": false,", "")));

        assertThat(same.mismatches()).isEmpty();
        assertThat(different.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.what()).isEqualTo("visible");
            assertThat(m.details()).containsExactlyInAnyOrder("tags.1.v: expected 3, got 2", "done: not expected, got false");
        });
    }

    @Test
    void caseValuesReplaceTheAppsAndStubbedFunctionsAreNotRun(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("stitch.json"), "{\"app_id\": \"docs-abcde\", \"name\": \"docs\", \"config_version\": 20180301}");
        Files.createDirectories(dir.resolve("values"));
        Files.writeString(dir.resolve("values/adminIds.json"), "{\"name\": \"adminIds\", \"value\": [\"zed\"], \"from_secret\": false}");
        Path rules = Files.createDirectories(dir.resolve("services/mongodb-atlas/rules"));
        Files.writeString(rules.getParent().resolve("config.json"), "{\"name\": \"mongodb-atlas\", \"type\": \"mongodb-atlas\", \"config\": {}}");
        Files.writeString(rules.resolve("app.docs.json"), """
                {"database": "app", "collection": "docs", "roles": [
                  {"name": "admin", "apply_when": {"%%user.id": {"$in": "%%values.adminIds"}}, "read": true},
                  {"name": "viaFn", "apply_when": {"%%true": {"%function": {"name": "canSee", "arguments": ["%%root._id"]}}}, "read": true}]}""");
        AppModel app = AppBundles.read(dir).app();
        List<String> called = new java.util.ArrayList<>();
        RuleCaseRunner runner = RuleCaseRunner.forApp(app, Map.of("adminIds", List.of("zed")), Map.of(), user -> (name, args) -> {
            called.add(name + args);
            return false;
        });
        String read = "{\"user\": {\"id\": \"bob\"}, \"namespace\": \"app.docs\", \"action\": \"read\", \"document\": {\"_id\": 7}";

        assertThat(runner.run(RuleCase.parse(read + "}")).decision().role()).isNull();
        assertThat(called).containsExactly("canSee[7]");
        assertThat(runner.run(RuleCase.parse(read + ", \"values\": {\"adminIds\": [\"bob\"]}}")).decision().role()).isEqualTo("admin");
        assertThat(runner.run(RuleCase.parse(read + ", \"functions\": {\"canSee\": true}}")).decision().role()).isEqualTo("viaFn");
        assertThat(called).as("the stub answered").hasSize(1);
    }

    @Test
    void aTestFileMayBeABareArrayAndNamesItsCases() {
        List<RuleCase> cases = RuleCase.parseTests("[{\"user\": \"system\", \"namespace\": \"todo.items\", \"action\": \"query\","
                + " \"expect\": {\"outcome\": \"ALLOWED\"}}, {\"name\": \"second\", \"user\": \"anonymous\","
                + " \"namespace\": \"todo.items\", \"action\": \"delete\", \"document\": {}, \"expect\": {\"role\": null}}]");

        assertThat(cases).extracting(RuleCase::name).containsExactly("case 1", "second");
        assertThat(cases.get(0).isSystem()).isTrue();
        assertThat(cases.get(1).user()).isEqualTo(RuleCase.ANONYMOUS);
        assertThat(cases.get(1).expect().checksRole()).isTrue();
        assertThat(RUNNER.run(cases.get(1)).passed()).isTrue();
    }

    private static RuleCase readAsAnn(String visible) {
        return RuleCase.parse("{\"user\": {\"id\": \"ann\"}, \"namespace\": \"todo.items\", \"action\": \"read\","
                + " \"document\": " + ITEM + ","
                + " \"expect\": {\"visible\": " + visible + "}}");
    }
}
