package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Editing a rule: each edit keeps the rule valid for the runtime or is refused with a reason, changing nothing. */
class RuleDesignTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void rolesAreAddedDuplicatedReorderedAndDeleted() {
        RuleDesign d = RuleDesign.empty("clinic", "patients");
        d.addRole("doctor");
        d.addRole("nurse");
        assertThat(d.duplicateRole(0)).isEqualTo(1);
        assertThat(d.roleNames()).isEqualTo(List.of("doctor", "doctor copy", "nurse"));
        d.moveRole(2, 0);
        assertThat(d.roleNames()).isEqualTo(List.of("nurse", "doctor", "doctor copy"));
        d.deleteRole(2);
        assertThat(d.roleNames()).isEqualTo(List.of("nurse", "doctor"));
    }

    @Test
    void aDuplicateRoleNameIsRefusedAndTheRuleIsUnchanged() {
        RuleDesign d = RuleDesign.empty("db", "c");
        d.addRole("owner");
        d.addRole("reader");
        String before = d.toText();
        assertThatThrownBy(() -> d.renameRole(1, "owner"))
                .isInstanceOf(DesignException.class).hasMessageContaining("roles[1].name").hasMessageContaining("already named");
        assertThat(d.toText()).isEqualTo(before);
    }

    @Test
    void anExpressionTheRuntimeRejectsIsRefusedWithItsPlace() throws Exception {
        RuleDesign d = RuleDesign.empty("db", "c");
        d.addRole("owner");
        String before = d.toText();
        assertThatThrownBy(() -> d.setApplyWhen(0, new Expression.Raw(MAPPER.readTree("{\"%frobnicate\": 1}"))))
                .isInstanceOf(DesignException.class).hasMessageContaining("roles[0].apply_when");
        assertThat(d.toText()).isEqualTo(before);
    }

    @Test
    void nestedFieldsAndAdditionalFieldsAreWrittenWhereTheRuntimeReadsThem() throws Exception {
        RuleDesign d = RuleDesign.empty("db", "c");
        d.addRole("member");
        d.setField(0, "address.city", BooleanNode.TRUE, null);
        d.setField(0, "salary", BooleanNode.FALSE, BooleanNode.FALSE);
        d.setAdditionalFields(0, BooleanNode.TRUE, BooleanNode.FALSE);
        assertThat(d.role(0).get("fields")).isEqualTo(MAPPER.readTree(
                "{\"address\": {\"fields\": {\"city\": {\"read\": true}}}, \"salary\": {\"read\": false, \"write\": false}}"));
        assertThat(d.fields(0).stream().map(FieldRule::path).toList()).isEqualTo(List.of("address", "address.city", "salary"));
        assertThat(d.role(0).get("additional_fields")).isEqualTo(MAPPER.readTree("{\"read\": true, \"write\": false}"));
        d.removeField(0, "address");
        assertThat(d.fields(0).stream().map(FieldRule::path).toList()).isEqualTo(List.of("salary"));
    }

    @Test
    void unknownFieldsAndKeyOrderSurviveEdits() {
        RuleDesign d = RuleDesign.parse("{\"collection\": \"c\", \"x_team_note\": {\"a\": 1}, \"database\": \"db\","
                + " \"roles\": [{\"write\": false, \"name\": \"r\", \"x_role_note\": true, \"apply_when\": {}}]}");
        d.setPermission(0, Permission.WRITE, BooleanNode.TRUE);
        d.addRole("second");
        assertThat(d.toJson().toString()).startsWith("{\"collection\":\"c\",\"x_team_note\":{\"a\":1},\"database\":\"db\","
                + "\"roles\":[{\"write\":true,\"name\":\"r\",\"x_role_note\":true,\"apply_when\":{}}");
    }

    @Test
    void theJsonViewCannotMoveTheRuleToAnotherCollection() {
        RuleDesign d = RuleDesign.empty("db", "c");
        assertThatThrownBy(() -> d.replaceAll("{\"database\": \"db\", \"collection\": \"other\", \"roles\": []}"))
                .isInstanceOf(DesignException.class).hasMessageContaining("db.c");
        assertThatThrownBy(() -> d.replaceAll("{\"database\": \"db\", "))
                .isInstanceOf(DesignException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void listenersHearKeptEditsOnly() {
        RuleDesign d = RuleDesign.empty("db", "c");
        int[] heard = {0};
        d.onChange(() -> heard[0]++);
        d.addRole("a");
        try {
            d.addRole("a");
        } catch (DesignException expected) {
            // refused: not heard
        }
        assertThat(heard[0]).isEqualTo(1);
    }
}
