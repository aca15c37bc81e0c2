package dev.thimble.ruledesigner;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each template, applied to a new collection, gives the access it promises, judged by the runtime engine. */
class TemplatesTest {
    private static final AppModel TODO = AppBundles.read(Path.of("../examples/todo")).app();
    private static final Principal OWNER = Principal.normal("u1");
    private static final Principal OTHER = Principal.normal("u2");
    private static final Document DOC = new Document("_id", 1).append("owner", "u1").append("readers", List.of("u3")).append("text", "hi");

    private static Simulator simulatorWith(RuleTemplate template, Map<String, String> params) {
        RuleDesign design = RuleDesign.empty("todo", "notes");
        template.apply(design, params);
        return new Simulator(TODO, Map.of(), Map.of(), RuleFunctionCallers.none()).with("mongodb-atlas", design);
    }

    private static Document received(Simulator s, Principal user) {
        return s.received(user, "mongodb-atlas", "todo.notes", DOC);
    }

    private static Decision update(Simulator s, Principal user) {
        Document after = new Document(DOC).append("text", "changed");
        return s.run(new SimulationCase(user, null, "todo.notes", Action.UPDATE, DOC, after, null)).decision();
    }

    @Test
    void ownerOnlyLetsTheOwnerReadAndWriteAndHidesTheDocumentFromOthers() {
        Simulator s = simulatorWith(RuleTemplate.OWNER_ONLY, Map.of("ownerField", "owner"));
        assertThat(received(s, OWNER)).isEqualTo(DOC);
        assertThat(received(s, OTHER)).isNull();
        assertThat(update(s, OWNER).allowed()).isTrue();
        assertThat(update(s, OTHER).allowed()).isFalse();
    }

    @Test
    void ownerPlusSharedLetsTheSharedWithUserReadButNotWrite() {
        Simulator s = simulatorWith(RuleTemplate.OWNER_AND_SHARED, Map.of("ownerField", "owner", "sharedField", "readers"));
        Principal reader = Principal.normal("u3");
        assertThat(received(s, reader)).isEqualTo(DOC);
        assertThat(update(s, reader).allowed()).isFalse();
        assertThat(received(s, OTHER)).isNull();
        assertThat(update(s, OWNER).allowed()).isTrue();
    }

    @Test
    void everyoneReadsButOnlyTheOwnerWrites() {
        Simulator s = simulatorWith(RuleTemplate.EVERYONE_READS_OWNER_WRITES, Map.of("ownerField", "owner"));
        assertThat(received(s, OTHER)).isEqualTo(DOC);
        assertThat(update(s, OTHER).allowed()).isFalse();
        assertThat(update(s, OWNER).allowed()).isTrue();
    }

    @Test
    void adminsByCustomDataSeeEverythingAndOthersNothing() {
        Simulator s = simulatorWith(RuleTemplate.ADMINS_BY_CUSTOM_DATA, Map.of("adminField", "isAdmin", "adminValue", "true"));
        Principal admin = Principal.normal("boss").withCustomData(new Document("isAdmin", true));
        assertThat(received(s, admin)).isEqualTo(DOC);
        assertThat(update(s, admin).allowed()).isTrue();
        assertThat(received(s, OWNER)).isNull();
    }

    @Test
    void denyAllDeniesTheOwnerToo() {
        Simulator s = simulatorWith(RuleTemplate.DENY_ALL, Map.of());
        assertThat(received(s, OWNER)).isNull();
        assertThat(update(s, OWNER).reason()).isEqualTo(Decision.Reason.NO_ROLE);
    }

    @Test
    void aTemplateKeepsTheSchemaAndIsEditableAfterwards() throws Exception {
        RuleDesign design = RuleDesign.parse("{\"database\": \"todo\", \"collection\": \"notes\", \"roles\": [],"
                + " \"schema\": {\"properties\": {\"owner\": {\"bsonType\": \"string\"}}}}");
        RuleTemplate.OWNER_ONLY.apply(design, Map.of("ownerField", "owner"));
        design.addRole("auditor");
        assertThat(design.roleNames()).isEqualTo(List.of("owner", "auditor"));
        assertThat(design.schema().toString()).isEqualTo("{\"properties\":{\"owner\":{\"bsonType\":\"string\"}}}");
        assertThat(design.filter(0).get("query").toString()).isEqualTo("{\"owner\":\"%%user.id\"}");
    }

    @Test
    void aTemplateParameterThatIsNotAFieldNameIsRefused() {
        RuleDesign design = RuleDesign.empty("todo", "notes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RuleTemplate.OWNER_ONLY.apply(design, Map.of("ownerField", "$where")))
                .isInstanceOf(DesignException.class).hasMessageContaining("template.ownerField");
        assertThat(design.roleCount()).isZero();
    }
}
