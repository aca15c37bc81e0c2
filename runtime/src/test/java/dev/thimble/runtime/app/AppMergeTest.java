package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging an imported app into an existing one: the import's entities win by name, the rest stay, the app stays itself. */
class AppMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AppModel todo = AppBundles.read(TestApps.TODO).app();

    @Test
    void theImportsEntitiesReplaceSameNamedOnesAndAddNewOnesWhileEverythingElseStays() {
        FunctionDef addItem = todo.function("addItem").orElseThrow();
        AppModel imported = only(JSON.createObjectNode().put("name", "someone-else").put("app_id", "other-abcde").put("location", "IE"),
                List.of(new FunctionDef(addItem.config(), "exports = () => 'merged';"),
                        new FunctionDef(Json.of(JSON.createObjectNode().put("name", "brandNew")), "exports = () => 1;")),
                List.of(), List.of(new ValueDef(Json.of(JSON.createObjectNode().put("name", "footer").put("value", "x")))));

        AppModel merged = AppMerge.merge(todo, imported);

        assertThat(merged.name()).isEqualTo("todo");
        assertThat(merged.clientAppId()).isEqualTo("todo-thmbl");
        assertThat(merged.location()).isEqualTo("IE");
        assertThat(merged.customUserData()).isEqualTo(todo.customUserData());
        assertThat(merged.function("addItem").orElseThrow().source()).contains("merged");
        assertThat(merged.functions()).hasSize(todo.functions().size() + 1);
        assertThat(merged.values()).extracting(ValueDef::name).contains("footer", "appTitle");
        assertThat(merged.triggers()).isEqualTo(todo.triggers());
        assertThat(merged.authProviders()).isEqualTo(todo.authProviders());
    }

    @Test
    void aServiceOfTheImportMergesItsRulesByNamespaceAndKeepsTheOthersAndItsDefaultRule() {
        ServiceDef atlas = todo.service("mongodb-atlas").orElseThrow();
        CollectionRuleDef items = atlas.collectionRules().stream().filter(r -> r.collection().equals("items")).findFirst().orElseThrow();
        ObjectNode changed = items.config().object();
        changed.putArray("roles").addObject().put("name", "readOnly").put("read", true);
        ServiceDef partial = new ServiceDef(atlas.config(), List.of(new CollectionRuleDef(Json.of(changed))), null, List.of(), List.of());

        AppModel merged = AppMerge.merge(todo, only(JSON.createObjectNode(), List.of(), List.of(partial), List.of()));

        ServiceDef result = merged.service("mongodb-atlas").orElseThrow();
        assertThat(result.collectionRules()).extracting(CollectionRuleDef::collection).containsExactlyInAnyOrder("items", "lists", "users");
        assertThat(result.collectionRules().stream().filter(r -> r.collection().equals("items")).findFirst().orElseThrow()
                .config().get("roles").get(0).get("name").asText()).isEqualTo("readOnly");
        assertThat(result.defaultRule()).isEqualTo(atlas.defaultRule());
        assertThat(merged.service("inbox")).isEqualTo(todo.service("inbox"));
        assertThat(AppMerge.merge(todo, todo)).isEqualTo(todo);
    }

    private static AppModel only(ObjectNode metadata, List<FunctionDef> functions, List<ServiceDef> services, List<ValueDef> values) {
        return new AppModel(Json.of(metadata), List.of(), functions, services, List.of(), values, List.of(), List.of(), List.of(),
                new TreeMap<>());
    }
}
