package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.FieldVerdict;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.ruledesigner.RuleFunctionCallers;
import dev.thimble.ruledesigner.SimulationCase;
import dev.thimble.ruledesigner.Simulator;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's view-model without a window: it runs the unsaved rule through the engine and shows its decision. */
class SimulatorViewModelTest {
    private static final AppModel TODO = AppBundles.read(Path.of("../examples/todo")).app();
    private static final Simulator SAVED = new Simulator(TODO, Map.of(), Map.of(), RuleFunctionCallers.none());

    private static RuleDesign items() {
        return RuleDesign.of(TODO.service("mongodb-atlas").orElseThrow().collectionRules().stream()
                .filter(r -> r.namespace().equals("todo.items")).findFirst().orElseThrow());
    }

    private static SimulatorViewModel vm(RuleDesign design) {
        return new SimulatorViewModel(design, "mongodb-atlas", () -> SAVED, null, Runnable::run, Runnable::run);
    }

    @Test
    void aCraftedUserReadingATypedDocumentSeesTheEnginesDecision() {
        RuleDesign design = items();
        SimulatorViewModel vm = vm(design);
        vm.userProperty().set(vm.users().stream().filter(SimulatorViewModel.UserChoice::crafted).findFirst().orElseThrow());
        vm.craftedIdProperty().set("u1");
        vm.documentTextProperty().set("{\"_id\": {\"$oid\": \"65b0000000000000000000f1\"}, \"owner_id\": \"u1\", \"text\": \"milk\"}");
        vm.run();
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.outcomeProperty().get()).startsWith("ALLOWED by role");
        assertThat(vm.receivedProperty().get()).contains("\"text\": \"milk\"");
        assertThat(vm.fieldRows()).extracting(FieldVerdict::path).contains("_id", "owner_id", "text");
    }

    @Test
    void theSimulatorUsesTheUnsavedEdit() {
        RuleDesign design = items();
        SimulatorViewModel vm = vm(design);
        vm.userProperty().set(vm.users().stream().filter(SimulatorViewModel.UserChoice::crafted).findFirst().orElseThrow());
        vm.craftedIdProperty().set("u1");
        vm.documentTextProperty().set("{\"_id\": 1, \"owner_id\": \"u1\", \"text\": \"milk\"}");
        while (design.roleCount() > 0) {
            design.deleteRole(0);
        }
        vm.run();
        assertThat(vm.outcomeProperty().get()).startsWith("DENIED — no role applied");
        assertThat(vm.receivedProperty().get()).contains("invisible");
    }

    @Test
    void aCaseFromTheLogsOpensWithItsUserActionAndDocumentAndRuns() {
        SimulatorViewModel vm = vm(items());
        vm.open(new SimulationCase(Principal.normal("u9"), "mongodb-atlas", "todo.items", Action.DELETE,
                new Document("_id", 1).append("owner_id", "u1"), null, null));
        assertThat(vm.userProperty().get().label()).isEqualTo("u9 (from the log)");
        assertThat(vm.actionProperty().get()).isEqualTo(Action.DELETE);
        assertThat(vm.outcomeProperty().get()).startsWith("DENIED");
    }

    @Test
    void aTypedDocumentThatIsNotExtendedJsonIsReportedAndNothingRuns() {
        SimulatorViewModel vm = vm(items());
        vm.documentTextProperty().set("{\"_id\": ");
        vm.run();
        assertThat(vm.errorProperty().get()).contains("document").contains("Extended JSON");
        assertThat(vm.outcomeProperty().get()).isEmpty();
    }

    @Test
    void aQueryOnAFieldTheRoleCannotReadMatchesNothing() {
        RuleDesign design = RuleDesign.parse("{\"database\": \"todo\", \"collection\": \"notes\", \"roles\": [{\"name\": \"member\","
                + " \"apply_when\": {}, \"fields\": {\"secret\": {\"read\": false}}, \"additional_fields\": {\"read\": true}}]}");
        SimulatorViewModel vm = vm(design);
        vm.documentTextProperty().set("{\"_id\": 1, \"title\": \"t\", \"secret\": \"s\"}");
        vm.queryTextProperty().set("{\"secret\": \"s\"}");
        vm.run();
        assertThat(vm.outcomeProperty().get()).contains("QUERY_ON_UNREADABLE_FIELD");
        vm.queryTextProperty().set("{\"title\": \"t\"}");
        vm.run();
        assertThat(vm.outcomeProperty().get()).startsWith("PARTIAL by role \"member\"");
        assertThat(vm.receivedProperty().get()).doesNotContain("secret");
        assertThat(vm.explanationProperty().get()).contains("fields removed: secret");
    }
}
