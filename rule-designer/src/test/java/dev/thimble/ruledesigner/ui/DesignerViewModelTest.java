package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.ExpressionForm;
import dev.thimble.ruledesigner.Permission;
import dev.thimble.ruledesigner.RuleDesign;
import dev.thimble.ruledesigner.RuleTemplate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The designer's view-model without a window: the builder, the grid and the JSON text stay in sync with the rule. */
class DesignerViewModelTest {

    @Test
    void aClauseBuiltInTheBuilderLandsInTheJsonText() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("clinic", "patients"));
        vm.addRole("nurse");
        vm.applyWhen().addClause("%%user.custom_data.role", "", "nurse");
        vm.applyWhen().addClause("ward", "", "%%user.custom_data.ward");
        vm.commitApplyWhen();
        assertThat(vm.messageProperty().get()).isEmpty();
        assertThat(vm.jsonTextProperty().get()).contains("\"apply_when\": {\n        \"%%user.custom_data.role\": \"nurse\",\n        \"ward\": \"%%user.custom_data.ward\"\n      }");
    }

    @Test
    void editingTheJsonTextUpdatesTheRoleListAndTheEditor() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.jsonTextProperty().set("{\"database\": \"db\", \"collection\": \"c\", \"roles\": [{\"name\": \"owner\","
                + " \"apply_when\": {\"owner_id\": \"%%user.id\"}, \"read\": true}]}");
        assertThat(vm.roles()).containsExactly("owner");
        vm.select(0);
        assertThat(vm.permissionProperty(Permission.READ).get()).isEqualTo("true");
        assertThat(vm.applyWhen().clauses()).hasSize(1);
        assertThat(vm.applyWhen().clauses().get(0).lhs.get()).isEqualTo("owner_id");
    }

    @Test
    void invalidJsonTextIsReportedAndTheDesignKeepsItsLastValidRule() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.addRole("owner");
        String before = vm.design().toText();
        vm.jsonTextProperty().set("{\"database\": \"db\", \"collection\": \"c\", \"roles\": [{\"name\": \"owner\", \"apply_when\": {\"%bogus\": 1}}]}");
        assertThat(vm.jsonErrorProperty().get()).contains("roles[0].apply_when");
        assertThat(vm.design().toText()).isEqualTo(before);
        assertThat(vm.roles()).containsExactly("owner");
    }

    @Test
    void aBadPermissionCellIsRefusedWithAMessage() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.addRole("owner");
        vm.permissionProperty(Permission.WRITE).set("{owner_id: ");
        vm.commitPermission(Permission.WRITE);
        assertThat(vm.messageProperty().get()).contains("write").contains("not JSON").contains("Nothing was changed");
        assertThat(vm.design().permission(0, Permission.WRITE)).isNull();
        assertThat(vm.permissionProperty(Permission.WRITE).get()).isEmpty();
    }

    @Test
    void theFieldGridShowsNestedFieldsAndEditsThem() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.addRole("member");
        vm.setField("address.city", "true", "");
        vm.setField("salary", "false", "false");
        assertThat(vm.fields()).containsExactly(new DesignerViewModel.FieldRow("address", "", ""),
                new DesignerViewModel.FieldRow("address.city", "true", ""), new DesignerViewModel.FieldRow("salary", "false", "false"));
    }

    @Test
    void draggingARoleReordersTheRoles() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.addRole("a");
        vm.addRole("b");
        vm.addRole("c");
        vm.moveRole(2, 0);
        assertThat(vm.roles()).containsExactly("c", "a", "b");
        assertThat(vm.selectedProperty().get()).isZero();
        assertThat(vm.roleNameProperty().get()).isEqualTo("c");
    }

    @Test
    void aTemplateFillsTheRolesAndTheLintsFollowEdits() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.applyTemplate(RuleTemplate.EVERYONE_READS_OWNER_WRITES, Map.of("ownerField", "owner"));
        assertThat(vm.roles()).containsExactly("owner", "reader");
        assertThat(vm.lints()).isEmpty();
        vm.moveRole(1, 0);
        assertThat(vm.lints()).hasSize(1);
        assertThat(vm.lints().get(0)).contains("\"owner\" never applies");
    }

    @Test
    void anExpressionTheRowsCannotHoldIsShownAsRawJsonAndKept() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.parse("{\"database\": \"db\", \"collection\": \"c\", \"roles\": ["
                + "{\"name\": \"r\", \"apply_when\": {\"%or\": [{\"a\": 1}, {\"%and\": [{\"b\": 2}, {\"c\": 3}]}]}}]}"));
        assertThat(vm.applyWhen().rawModeProperty().get()).isTrue();
        vm.commitApplyWhen();
        assertThat(vm.design().applyWhen(0).toJson().toString()).isEqualTo("{\"%or\":[{\"a\":1},{\"%and\":[{\"b\":2},{\"c\":3}]}]}");
        assertThat(vm.applyWhen().joinProperty().get()).isEqualTo(ExpressionForm.Join.ALL);
        assertThat(List.copyOf(vm.roles())).containsExactly("r");
    }

    @Test
    void theBuilderOffersTheAppsValuesCustomDataAndSampledFields() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"), () -> new DesignerViewModel.LiveFacts(List.of(),
                List.of(new org.bson.Document("_id", 1).append("owner_id", "u1")), List.of("%%values.adminIds", "%%user.custom_data.ward")));
        assertThat(vm.expansionSuggestions()).contains("%%user.id", "%%values.adminIds", "%%user.custom_data.ward", "owner_id",
                "%%root.owner_id");
        assertThat(vm.fieldSuggestions()).containsExactly("_id", "owner_id");
    }

    @Test
    void textTypedInTheJsonViewIsNotReformattedUnderTheCaretButOtherEditsReprintIt() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        String typed = "{\"database\": \"db\", \"collection\": \"c\", \"roles\": [{\"name\": \"a\", \"apply_when\": {}}]}";
        vm.jsonTextProperty().set(typed);
        assertThat(vm.roles()).containsExactly("a");
        assertThat(vm.jsonTextProperty().get()).isEqualTo(typed);
        vm.addRole("b");
        assertThat(vm.jsonTextProperty().get()).isEqualTo(vm.design().toText());
    }

    @Test
    void aFilterIsAddedAndEditedInTheFilterEditor() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.addFilter("mine");
        vm.filterApplyWhen().addClause("%%user.id", "$exists", "true");
        vm.filterQueryProperty().set("{\"owner_id\": \"%%user.id\"}");
        vm.commitFilter();
        assertThat(vm.messageProperty().get()).isEmpty();
        assertThat(vm.design().filter(0).toString()).isEqualTo("{\"name\":\"mine\",\"apply_when\":{\"%%user.id\":{\"$exists\":true}},"
                + "\"query\":{\"owner_id\":\"%%user.id\"},\"projection\":{}}");
        vm.filterProjectionProperty().set("{\"a\": 1, \"b\": 0}");
        vm.commitFilter();
        assertThat(vm.messageProperty().get()).contains("filters[0].projection").contains("Nothing was changed");
        vm.deleteSelectedFilter();
        assertThat(vm.filters()).isEmpty();
    }

    @Test
    void clauseRowsNotYetAppliedSurviveAnotherEditOfTheRole() {
        DesignerViewModel vm = new DesignerViewModel(RuleDesign.empty("db", "c"));
        vm.addRole("owner");
        vm.applyWhen().addClause("owner_id", "", "%%user.id");
        vm.permissionProperty(Permission.READ).set("true");
        vm.commitPermission(Permission.READ);
        assertThat(vm.applyWhen().clauses()).hasSize(1);
        vm.commitApplyWhen();
        assertThat(vm.design().applyWhen(0).toJson().toString()).isEqualTo("{\"owner_id\":\"%%user.id\"}");
    }
}
