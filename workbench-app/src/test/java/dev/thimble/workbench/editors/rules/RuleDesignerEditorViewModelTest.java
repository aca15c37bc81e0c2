package dev.thimble.workbench.editors.rules;

import dev.thimble.ruledesigner.Permission;
import dev.thimble.workbench.editors.EditorFactory;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.testing.EditorFixture;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A collection rule opens in the rule designer; its edits save to the rule file like any editor's. */
class RuleDesignerEditorViewModelTest {
    private static final EditableItem.CollectionRule ITEMS = new EditableItem.CollectionRule("mongodb-atlas", "todo.items");
    @TempDir
    Path temp;
    private EditorFixture fixture;
    private RuleDesignerEditorViewModel editor;

    @BeforeEach
    void open() {
        fixture = new EditorFixture(temp);
        EditorViewModel opened = fixture.ui.call(() -> new EditorFactory(fixture.context).create(ITEMS).orElseThrow());
        assertThat(opened).isInstanceOf(RuleDesignerEditorViewModel.class);
        editor = (RuleDesignerEditorViewModel) opened;
    }

    @AfterEach
    void close() {
        fixture.ui.run(editor::dispose);
        fixture.close();
    }

    @Test
    void aDesignerEditMakesTheEditorDirtyAndASaveWritesTheRuleFile() {
        Path file = fixture.appDir.resolve("services/mongodb-atlas/rules/todo.items.json");
        String original = TestApps.read(file);
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
        fixture.ui.run(() -> editor.designer().addRole("auditor"));
        assertThat(fixture.ui.call(editor::isDirty)).isTrue();

        assertThat(fixture.ui.call(editor::save).join()).isTrue();

        String saved = TestApps.read(file);
        assertThat(saved).isNotEqualTo(original).contains("\"name\": \"auditor\"");
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
        assertThat(fixture.saves).hasSize(1);
    }

    @Test
    void aLoggedFindOpensInTheSimulatorWithTheLiveDocumentAndTheRealUser() {
        fixture.session.startServer();
        dev.thimble.runtime.AppHost host = fixture.session.host().orElseThrow();
        String userId = host.auth().login("anon-user", new org.bson.Document(), "127.0.0.1", null).userId();
        // the workbench's server keeps its data under the app's data folder between runs: a fresh id, removed afterwards
        org.bson.types.ObjectId id = new org.bson.types.ObjectId();
        var items = host.database().database("todo").getCollection("items");
        items.insertOne(new org.bson.Document("_id", id).append("owner_id", userId).append("text", "milk"));
        try {
            openAndCheck(host, userId, id);
        } finally {
            items.deleteOne(new org.bson.Document("_id", id));
        }
    }

    private void openAndCheck(dev.thimble.runtime.AppHost host, String userId, org.bson.types.ObjectId id) {
        dev.thimble.runtime.logs.LogRecord record = dev.thimble.runtime.logs.LogRecord
                .start(dev.thimble.runtime.logs.LogType.SERVICE_FUNCTION, java.time.Clock.systemUTC())
                .userId(userId).service("mongodb-atlas", "findOne").namespace("todo.items")
                .arguments(new org.bson.BsonArray(java.util.List.of(org.bson.BsonDocument.parse(
                        "{\"database\": \"todo\", \"collection\": \"items\", \"query\": {\"_id\": {\"$oid\": \"" + id.toHexString() + "\"}}}"))), false)
                .finish(dev.thimble.runtime.logs.LogStatus.SUCCESS);

        fixture.ui.run(() -> editor.openLogRecord(record));

        dev.thimble.testing.Eventually.await("the simulation", () -> !fixture.ui.call(() -> editor.simulator().outcomeProperty().get()).isEmpty());
        assertThat(fixture.ui.call(() -> editor.simulator().outcomeProperty().get())).isEqualTo("ALLOWED by role \"owner\" (RULES)");
        assertThat(fixture.ui.call(() -> editor.simulator().receivedProperty().get())).contains("\"text\": \"milk\"");
        assertThat(fixture.ui.call(() -> editor.simulator().userProperty().get().user().id())).isEqualTo(userId);
    }

    @Test
    void invalidTextInTheJsonViewIsNotSavedAndSaysWhy() {
        Path file = fixture.appDir.resolve("services/mongodb-atlas/rules/todo.items.json");
        String original = TestApps.read(file);
        fixture.ui.run(() -> editor.designer().jsonTextProperty().set(original.replace("\"roles\": [", "\"roles\": [{\"name\": 3},")));
        assertThat(fixture.ui.call(editor::isDirty)).isTrue();

        assertThat(fixture.ui.call(editor::save).join()).isFalse();

        assertThat(fixture.ui.call(() -> editor.messageProperty().get())).contains("JSON view").contains("nothing was saved");
        assertThat(TestApps.read(file)).isEqualTo(original);
    }

    @Test
    void undoingAnEditByHandIsNotDirty() {
        fixture.ui.run(() -> {
            editor.designer().select(0);
            editor.designer().permissionProperty(Permission.SEARCH).set("false");
            editor.designer().commitPermission(Permission.SEARCH);
        });
        boolean dirtyAfterEdit = fixture.ui.call(editor::isDirty);
        fixture.ui.run(() -> editor.designer().jsonTextProperty().set(TestApps.read(fixture.appDir.resolve("services/mongodb-atlas/rules/todo.items.json"))));
        assertThat(dirtyAfterEdit).isTrue();
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
    }
}
