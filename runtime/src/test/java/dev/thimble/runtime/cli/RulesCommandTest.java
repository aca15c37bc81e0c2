package dev.thimble.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code thimble rules eval} and {@code thimble rules test}, on the clinic example. */
class RulesCommandTest {
    static final Path CLINIC = Path.of("../examples/clinic");
    static final String NURSE = "{\"id\": \"nurse-joy\", \"custom_data\": {\"role\": \"nurse\", \"ward\": \"cardiology\"}}";
    static final String ANN = """
            {"_id": {"$oid": "65b0000000000000000000a1"}, "name": "Ann Perkins", "ward": "cardiology",
             "doctor_id": "doctor-grey", "allergies": ["penicillin"], "diagnosis": "atrial fibrillation",
             "test_results": [], "waiting_since": {"$date": "2025-03-01T08:00:00Z"}}""";

    @TempDir
    Path temp;

    @Test
    void theClinicExampleIsAValidBundle() {
        CliRun run = CliRun.of("validate", CLINIC.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("valid (0 errors, 0 warnings)");
    }

    // ---- rules test ----------------------------------------------------------------------------

    @Test
    void theClinicExamplesRulesTestsAllPass() throws IOException {
        CliRun run = CliRun.of("rules", "test", CLINIC.toString(), CLINIC.resolve("rules-tests.json").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode cases = new ObjectMapper().readTree(Files.readString(CLINIC.resolve("rules-tests.json"))).get("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(15);
        assertThat(run.out()).contains(cases.size() + " passed, 0 failed").doesNotContain("FAIL");
        assertThat(run.out()).contains("ok    11 a nurse records a test result");
    }

    @Test
    void failedExpectationsExitWithOneAndShowExpectedAgainstActual() throws IOException {
        Path tests = write("tests.json", "{\"users\": {\"joy\": " + NURSE + "}, \"cases\": ["
                + "{\"name\": \"nurse reads allergies\", \"user\": \"joy\", \"namespace\": \"clinic.patients\", \"action\": \"read\","
                + " \"document\": " + ANN + ", \"expect\": {\"outcome\": \"PARTIAL\", \"role\": \"nurse\"}},"
                + "{\"name\": \"nurse sees the diagnosis (wrong)\", \"user\": \"joy\", \"namespace\": \"clinic.patients\","
                + " \"action\": \"read\", \"document\": " + ANN + ", \"expect\": {\"outcome\": \"ALLOWED\", \"role\": \"doctor\","
                + " \"visible\": {\"_id\": {\"$oid\": \"65b0000000000000000000a1\"}, \"name\": \"Ann Perkins\", \"ward\": \"cardiology\","
                + " \"allergies\": [\"latex\"], \"diagnosis\": \"atrial fibrillation\"}}}]}");

        CliRun run = CliRun.of("rules", "test", CLINIC.toString(), tests.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("ok    1 nurse reads allergies")
                .contains("FAIL  2 nurse sees the diagnosis (wrong)")
                .contains("outcome: expected ALLOWED, got PARTIAL")
                .contains("role: expected \"doctor\", got \"nurse\"")
                .contains("- allergies.0: expected \"latex\", got \"penicillin\"")
                .contains("- diagnosis: expected \"atrial fibrillation\", but it is missing")
                .contains("role \"doctor\" [0]: apply_when false")
                .contains("1 passed, 1 failed");
    }

    @Test
    void aWriteRejectedForTheWrongFieldIsReported() throws IOException {
        Path tests = write("tests.json", "[{\"name\": \"nurse edits the diagnosis\", \"user\": " + NURSE + ","
                + " \"namespace\": \"clinic.patients\", \"action\": \"update\", \"before\": " + ANN + ","
                + " \"after\": " + ANN.replace("atrial fibrillation", "healthy") + ","
                + " \"expect\": {\"outcome\": \"DENIED\", \"fieldsRejected\": [\"ward\"]}}]");

        CliRun run = CliRun.of("rules", "test", CLINIC.toString(), tests.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("fieldsRejected: expected [\"ward\"], got [\"diagnosis\"]")
                .contains("- missing: ward").contains("- not expected: diagnosis")
                .contains("not writable: diagnosis: no rule grants write")
                .contains("0 passed, 1 failed");
    }

    @Test
    void jsonAndTapOutputs() throws IOException {
        Path tests = write("tests.json", "[{\"name\": \"anonymous reads\", \"user\": \"anonymous\", \"namespace\": \"clinic.patients\","
                + " \"action\": \"read\", \"document\": " + ANN + ", \"expect\": {\"outcome\": \"DENIED\", \"visible\": null}},"
                + "{\"name\": \"system reads\", \"user\": \"system\", \"namespace\": \"clinic.patients\","
                + " \"action\": \"read\", \"document\": " + ANN + ", \"expect\": {\"outcome\": \"DENIED\"}}]");

        CliRun json = CliRun.of("rules", "test", CLINIC.toString(), tests.toString(), "--json");
        CliRun tap = CliRun.of("rules", "test", CLINIC.toString(), tests.toString(), "--tap");

        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode result = new ObjectMapper().readTree(json.out());
        assertThat(result.get("passed").asInt()).isEqualTo(1);
        assertThat(result.get("failed").asInt()).isEqualTo(1);
        assertThat(result.get("cases").get(0).get("decision").get("reason").asText()).isEqualTo("NO_ROLE");
        assertThat(result.get("cases").get(1).get("mismatches").get(0).get("actual").asText()).isEqualTo("ALLOWED");
        assertThat(tap.exitCode()).isEqualTo(1);
        assertThat(tap.out()).startsWith("TAP version 13").contains("1..2").contains("ok 1 - anonymous reads")
                .contains("not ok 2 - system reads").contains("expected: \"DENIED\"");
    }

    @Test
    void aCaseWithoutExpectationsOrOnAnUnknownNamespaceFailsWithItsReason() throws IOException {
        Path tests = write("tests.json", "[{\"name\": \"no expect\", \"user\": \"anonymous\", \"namespace\": \"clinic.patients\","
                + " \"action\": \"query\"},"
                + "{\"name\": \"typo\", \"user\": \"anonymous\", \"namespace\": \"clinic.patient\", \"action\": \"query\","
                + " \"expect\": {\"outcome\": \"DENIED\"}}]");

        CliRun run = CliRun.of("rules", "test", CLINIC.toString(), tests.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error: the case has no \"expect\"")
                .contains("error: namespace: there is no rule for clinic.patient")
                .contains("rules exist for clinic.patients, clinic.staff")
                .contains("0 passed, 2 failed");
    }

    // ---- rules eval ----------------------------------------------------------------------------

    @Test
    void evalPrintsTheDecisionAndTheDocumentTheUserReceives() throws IOException {
        Path c = write("case.json", "{\"name\": \"nurse reads\", \"user\": " + NURSE + ", \"namespace\": \"clinic.patients\","
                + " \"action\": \"read\", \"document\": " + ANN + "}");

        CliRun run = CliRun.of("rules", "eval", CLINIC.toString(), "--case", c.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("READ clinic.patients: PARTIAL by role \"nurse\" (RULES)")
                .contains("role \"doctor\" [0]: apply_when false — roles[0].apply_when: %%user.custom_data.role: \"doctor\"")
                .contains("filter \"a nurse's ward\": applied")
                .contains("fields removed: doctor_id, diagnosis, test_results, waiting_since")
                .contains("query that runs: {\"ward\": \"cardiology\"}");
        String received = run.out().substring(run.out().indexOf("the user receives:"));
        assertThat(received).contains("\"allergies\": [", "\"penicillin\"", "\"$oid\": \"65b0000000000000000000a1\"")
                .doesNotContain("diagnosis").doesNotContain("doctor_id");
    }

    @Test
    void evalAsJsonPrintsTheDecisionDocument() throws IOException {
        Path c = write("case.json", "{\"user\": {\"id\": \"doctor-grey\", \"custom_data\": {\"role\": \"doctor\"}},"
                + " \"namespace\": \"clinic.patients\", \"action\": \"update\", \"before\": " + ANN + ","
                + " \"after\": " + ANN.replace("\"doctor-grey\"", "\"doctor-shepherd\"") + "}");

        CliRun run = CliRun.of("rules", "eval", CLINIC.toString(), "--case", c.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode decision = new ObjectMapper().readTree(run.out()).get("decision");
        assertThat(decision.get("action").asText()).isEqualTo("UPDATE");
        assertThat(decision.get("outcome").asText()).isEqualTo("DENIED");
        assertThat(decision.get("role").asText()).isEqualTo("doctor");
        assertThat(decision.get("fieldsRejected").get(0).get("field").asText()).isEqualTo("doctor_id");
        assertThat(decision.get("fieldsRejected").get(0).get("failure").get("text").asText())
                .contains("doctor_id: \"%%user.id\"").contains("\"doctor-shepherd\"");
    }

    @Test
    void evalAppliesTheCallersProjectionAndShowsAQueryPlan() throws IOException {
        Path read = write("read.json", "{\"user\": {\"id\": \"doctor-grey\", \"custom_data\": {\"role\": \"doctor\"}},"
                + " \"namespace\": \"clinic.patients\", \"action\": \"read\", \"projection\": {\"name\": 1, \"allergies\": 1},"
                + " \"document\": " + ANN + ", \"expect\": {\"visible\": {\"_id\": {\"$oid\": \"65b0000000000000000000a1\"},"
                + " \"name\": \"Ann Perkins\", \"allergies\": [\"penicillin\"]}}}");
        Path query = write("query.json", "{\"user\": {\"id\": \"doctor-grey\", \"custom_data\": {\"role\": \"doctor\"}},"
                + " \"namespace\": \"clinic.patients\", \"action\": \"query\", \"query\": {\"ward\": \"cardiology\"}}");

        CliRun projected = CliRun.of("rules", "eval", CLINIC.toString(), "--case", read.toString());
        CliRun planned = CliRun.of("rules", "eval", CLINIC.toString(), "--case", query.toString());

        assertThat(projected.out()).contains("expect: met").doesNotContain("\"ward\"");
        assertThat(planned.exitCode()).isZero();
        assertThat(planned.out()).contains("QUERY clinic.patients: ALLOWED (RULES)")
                .contains("filter \"a doctor's own patients\": applied")
                .contains("query that runs: {\"$and\": [{\"ward\": \"cardiology\"}, {\"doctor_id\": \"doctor-grey\"}]}");
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void aMissingCaseFileIsAUserError() {
        CliRun run = CliRun.of("rules", "eval", CLINIC.toString(), "--case", temp.resolve("nope.json").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("There is no case file at").contains("nope.json").doesNotContain("Exception");
    }

    @Test
    void badJsonNamesTheLineAndColumn() throws IOException {
        Path c = write("case.json", "{\n  \"user\": \"system\",\n  \"action\": \"read\"\n  \"namespace\": \"clinic.patients\"\n}");

        CliRun run = CliRun.of("rules", "eval", CLINIC.toString(), "--case", c.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("case.json: line 4, column").contains("not valid JSON");
    }

    @Test
    void eachBadFieldIsNamedWithWhatToWriteInstead() throws IOException {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"clinic.patients\", \"action\": \"fetch\"}",
                "action: unknown action \"fetch\"; use one of read, insert, update, replace, delete, query"});
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"patients\", \"action\": \"query\"}",
                "namespace: \"patients\" is not \"database.collection\""});
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"clinic.patients\", \"action\": \"read\", \"document\": [1]}",
                "document: an object (Extended JSON"});
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"clinic.patients\", \"action\": \"read\","
                + " \"document\": {\"_id\": {\"$oid\": \"not-hex\"}}}", "document: not valid Extended JSON"});
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"clinic.patients\", \"action\": \"update\", \"after\": {}}",
                "before: an update case needs the document before the write"});
        cases.add(new String[]{"{\"user\": {\"name\": \"x\"}, \"namespace\": \"clinic.patients\", \"action\": \"query\"}",
                "user.name: unknown field; the fields are id, type, data, custom_data, identities"});
        cases.add(new String[]{"{\"user\": \"bob\", \"namespace\": \"clinic.patients\", \"action\": \"query\"}",
                "user: \"bob\" is not \"system\", \"anonymous\""});
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"clinic.patients\", \"action\": \"insert\", \"document\": {},"
                + " \"expect\": {\"visible\": {}}}", "expect.visible: does not apply to insert"});
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"clinic.patients\", \"action\": \"query\","
                + " \"expect\": {\"outcome\": \"OK\"}}", "expect.outcome: \"OK\" is not one of ALLOWED, DENIED, PARTIAL"});
        cases.add(new String[]{"{\"user\": \"system\", \"namespace\": \"clinic.visits\", \"action\": \"query\"}",
                "namespace: there is no rule for clinic.visits in services/mongodb-atlas/rules"});
        cases.add(new String[]{"{\"user\": \"system\", \"service\": \"atlas\", \"namespace\": \"clinic.patients\", \"action\": \"query\"}",
                "service: this app has no MongoDB service \"atlas\"; its MongoDB services are mongodb-atlas"});
        for (String[] c : cases) {
            Path file = write("case.json", c[0]);
            CliRun run = CliRun.of("rules", "eval", CLINIC.toString(), "--case", file.toString());
            assertThat(run.exitCode()).as(c[0]).isEqualTo(1);
            assertThat(run.err()).as(c[0]).contains(c[1]).doesNotContain("Exception");
        }
    }

    @Test
    void aBadCaseInATestFileIsNamedByIndexAndName() throws IOException {
        Path tests = write("tests.json", "{\"cases\": [{\"name\": \"fine\", \"user\": \"system\", \"namespace\": \"clinic.patients\","
                + " \"action\": \"query\", \"expect\": {\"outcome\": \"ALLOWED\"}},"
                + " {\"name\": \"broken\", \"user\": \"system\", \"namespace\": \"clinic.patients\", \"action\": \"read\","
                + " \"documnet\": {}}]}");

        CliRun run = CliRun.of("rules", "test", CLINIC.toString(), tests.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tests.json: cases[1] \"broken\" documnet: unknown field; the fields are name, user,");
    }

    @Test
    void theHelpDescribesTheCaseFormat() {
        CliRun run = CliRun.of("rules", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("eval").contains("test").contains("\"namespace\": \"db.coll\"")
                .contains("\"before\": {…}, \"after\": {…}").contains("\"fieldsRejected\"").contains("\"visible\"")
                .contains("replace the app's %%values").contains("the result of %function f");
        assertThat(run.err()).doesNotContain("Could not format");
    }

    private Path write(String name, String text) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
