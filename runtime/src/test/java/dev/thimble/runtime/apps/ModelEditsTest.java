package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ValueDef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelEditsTest {
    private final AppModel todo = AppBundles.read(TestApps.TODO).app();

    @Test
    void everyItemOfTheExampleThatHasAJsonEditorHasItsJson() {
        for (EditableItem item : AppItems.all(todo)) {
            if (item.editorKind() == EditableItem.EditorKind.JSON) {
                assertThat(ModelEdits.jsonOf(todo, item)).as(item.toString()).isPresent();
            }
        }
    }

    @Test
    void replacingARuleChangesOnlyThatRule() {
        EditableItem.CollectionRule items = new EditableItem.CollectionRule("mongodb-atlas", "todo.items");
        Json edited = ModelEdits.jsonOf(todo, items).orElseThrow().without("schema");

        AppModel changed = ModelEdits.withJson(todo, items, edited);

        assertThat(ModelEdits.jsonOf(changed, items)).contains(edited);
        EditableItem.CollectionRule lists = new EditableItem.CollectionRule("mongodb-atlas", "todo.lists");
        assertThat(ModelEdits.jsonOf(changed, lists)).isEqualTo(ModelEdits.jsonOf(todo, lists));
        assertThat(changed.functions()).isEqualTo(todo.functions());
    }

    @Test
    void aTriggerRenamedInItsJsonIsRefusedWithTheNameItMustKeep() {
        EditableItem.Trigger trigger = new EditableItem.Trigger("onNewItem");
        Json renamed = ModelEdits.jsonOf(todo, trigger).orElseThrow().with("name", "somethingElse");

        assertThatThrownBy(() -> ModelEdits.withJson(todo, trigger, renamed))
                .isInstanceOf(EditRefusedException.class)
                .hasMessageContaining("\"name\" must stay \"onNewItem\"");
    }

    @Test
    void aRuleMovedToAnotherCollectionIsRefused() {
        EditableItem.CollectionRule items = new EditableItem.CollectionRule("mongodb-atlas", "todo.items");
        Json moved = ModelEdits.jsonOf(todo, items).orElseThrow().with("collection", "other");
        assertThatThrownBy(() -> ModelEdits.withJson(todo, items, moved)).isInstanceOf(EditRefusedException.class);
    }

    @Test
    void theAppIdCannotChangeInTheAppSettings() {
        Json metadata = todo.metadata().with("app_id", "other-abcde");
        assertThatThrownBy(() -> ModelEdits.withJson(todo, new EditableItem.AppSettings(), metadata))
                .isInstanceOf(EditRefusedException.class).hasMessageContaining("app_id");
    }

    @Test
    void valuesAreKeptInNameOrder() {
        AppModel changed = ModelEdits.withValues(todo, List.of(
                new ValueDef(Json.empty().with("name", "zeta")), new ValueDef(Json.empty().with("name", "alpha"))));
        assertThat(changed.values()).extracting(ValueDef::name).containsExactly("alpha", "zeta");
    }

    @Test
    void originKeysNameTheirItems() {
        assertThat(EditableItem.fromOriginKey("function-source:addItem")).contains(new EditableItem.Function("addItem"));
        assertThat(EditableItem.fromOriginKey("rule:mongodb-atlas/todo.items"))
                .contains(new EditableItem.CollectionRule("mongodb-atlas", "todo.items"));
        assertThat(EditableItem.fromOriginKey("endpoint:POST /items")).contains(new EditableItem.Endpoint("POST", "/items"));
        assertThat(EditableItem.fromOriginKey("webhook-source:inbox/newItem")).contains(new EditableItem.Webhook("inbox", "newItem"));
        assertThat(EditableItem.fromOriginKey("nonsense")).isEmpty();
    }
}
