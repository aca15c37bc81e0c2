package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.Json;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AppEditor#saveChecked}: the admin API's content writes, refused with the validator's messages when they add an error. */
class AppEditorCheckedSaveTest {
    @TempDir
    Path dir;
    Path bundle;
    AppEditor editor;

    @BeforeEach
    void openTodo() {
        bundle = TestApps.copyOfTodo(dir);
        editor = AppEditor.open(bundle, HostAccess.none());
    }

    @Test
    void aCheckedSaveThatWouldAddAnErrorIsRefusedWithTheValidatorsMessageAndWritesNothing() throws Exception {
        EditableItem trigger = new EditableItem.Trigger("onNewItem");
        String before = Files.readString(bundle.resolve("triggers/onNewItem.json"));
        Json broken = ModelEdits.jsonOf(editor.model(), trigger).orElseThrow().with("function_name", "noSuchFunction");

        assertThatThrownBy(() -> editor.saveChecked(app -> ModelEdits.withJson(app, trigger, broken)))
                .isInstanceOf(EditRefusedException.class)
                .hasMessageContaining("Nothing was saved").hasMessageContaining("triggers/onNewItem.json").hasMessageContaining("noSuchFunction");
        assertThat(Files.readString(bundle.resolve("triggers/onNewItem.json"))).isEqualTo(before);
    }

    @Test
    void aCheckedSaveWithoutNewErrorsIsWrittenAndReadBack() throws Exception {
        EditableItem trigger = new EditableItem.Trigger("onNewItem");
        Json disabled = ModelEdits.jsonOf(editor.model(), trigger).orElseThrow().with("disabled",
                com.fasterxml.jackson.databind.node.BooleanNode.TRUE);

        SaveResult saved = editor.saveChecked(app -> ModelEdits.withJson(app, trigger, disabled));

        assertThat(saved.changed()).containsExactly("triggers/onNewItem.json");
        assertThat(AppBundles.read(bundle).app().triggers().stream().filter(t -> t.name().equals("onNewItem")).findFirst().orElseThrow()
                .disabled()).isTrue();
    }
}
