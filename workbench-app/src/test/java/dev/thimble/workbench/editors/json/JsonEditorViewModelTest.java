package dev.thimble.workbench.editors.json;

import dev.thimble.workbench.testing.EditorFixture;
import dev.thimble.workbench.testing.TestApps;
import dev.thimble.workbench.workspace.EditableItem;
import dev.thimble.workbench.workspace.ModelEdits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class JsonEditorViewModelTest {
    private static final EditableItem.Trigger TRIGGER = new EditableItem.Trigger("onNewItem");
    @TempDir
    Path temp;
    private EditorFixture fixture;
    private JsonEditorViewModel editor;
    private String original;

    @BeforeEach
    void openTrigger() {
        fixture = new EditorFixture(temp);
        original = TestApps.read(fixture.appDir.resolve("triggers/onNewItem.json"));
        editor = fixture.ui.call(() -> new JsonEditorViewModel(fixture.context, TRIGGER,
                ModelEdits.jsonOf(fixture.model.get(), TRIGGER).orElseThrow()));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theTextIsTheFileAsTheBundleFormatsIt() {
        assertThat(fixture.ui.call(() -> editor.textProperty().get())).isEqualTo(original.strip());
    }

    @Test
    void invalidJsonIsReportedWithItsPositionAndNothingIsWritten() {
        fixture.ui.run(() -> editor.textProperty().set("{\n  \"name\": \"onNewItem\"\n  \"type\": \"DATABASE\"\n}"));

        assertThat(fixture.ui.call(() -> editor.jsonErrorProperty().get())).satisfies(error -> assertThat(error.line()).isEqualTo(3));
        assertThat(fixture.ui.call(editor::save).join()).isFalse();
        assertThat(fixture.ui.call(() -> editor.messageProperty().get())).contains("line 3").contains("Nothing was saved");
        assertThat(TestApps.read(fixture.appDir.resolve("triggers/onNewItem.json"))).isEqualTo(original);
    }

    @Test
    void aValidEditIsWrittenAndTheErrorClears() {
        fixture.ui.run(() -> editor.textProperty().set(editor.textProperty().get().replace("\"disabled\": false", "\"disabled\": true")));
        assertThat(fixture.ui.call(() -> editor.jsonErrorProperty().get())).isNull();

        assertThat(fixture.ui.call(editor::save).join()).isTrue();

        assertThat(TestApps.read(fixture.appDir.resolve("triggers/onNewItem.json"))).contains("\"disabled\": true");
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
    }

    @Test
    void aRenameIsRefusedBesideTheEditor() {
        fixture.ui.run(() -> editor.textProperty().set(editor.textProperty().get().replace("\"onNewItem\"", "\"renamed\"")));
        assertThat(fixture.ui.call(editor::save).join()).isFalse();
        assertThat(fixture.ui.call(() -> editor.messageProperty().get())).contains("must stay \"onNewItem\"");
        assertThat(fixture.ui.call(editor::isDirty)).isTrue();
        assertThat(TestApps.read(fixture.appDir.resolve("triggers/onNewItem.json"))).isEqualTo(original);
    }
}
