package dev.thimble.workbench.editors.json;

import dev.thimble.runtime.apps.Validation;
import dev.thimble.runtime.apps.AppSession;

import dev.thimble.workbench.testing.EditorFixture;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;
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

    @Test
    void aTriggerHasAFormOfItsScalarFieldsInFileOrder() {
        assertThat(fixture.ui.call(() -> editor.hasForm())).isTrue();
        assertThat(fixture.ui.call(() -> editor.form().stream().map(FormField::path).toList())).containsExactly(
                "id", "name", "type", "config.service_name", "config.database", "config.collection", "config.operation_types",
                "config.full_document", "function_name", "disabled");
        assertThat(fixture.ui.call(() -> editor.form().stream().filter(f -> f.path().equals("config.operation_types")).findFirst().orElseThrow()))
                .isEqualTo(new FormField("config.operation_types", FormField.Kind.TEXT_LIST, "INSERT"));
    }

    @Test
    void aFormEditRewritesTheJsonAndIsSavedLikeTyping() {
        FormField function = fixture.ui.call(() -> editor.form().stream().filter(f -> f.path().equals("function_name")).findFirst().orElseThrow());
        FormField ops = fixture.ui.call(() -> editor.form().stream().filter(f -> f.path().equals("config.operation_types")).findFirst().orElseThrow());
        fixture.ui.run(() -> editor.setField(function, "addItem"));
        fixture.ui.run(() -> editor.setField(ops, "INSERT, UPDATE"));

        assertThat(fixture.ui.call(editor::isDirty)).isTrue();
        assertThat(fixture.ui.call(editor::save).join()).isTrue();
        String saved = TestApps.read(fixture.appDir.resolve("triggers/onNewItem.json"));
        assertThat(saved).contains("\"function_name\": \"addItem\"").contains("\"operation_types\": [\n      \"INSERT\",\n      \"UPDATE\"\n    ]");
    }

    @Test
    void theValidatorsMessagesShowBesideTheirField() throws Exception {
        FormField function = fixture.ui.call(() -> editor.form().stream().filter(f -> f.path().equals("function_name")).findFirst().orElseThrow());
        fixture.ui.run(() -> editor.setField(function, "noSuchFunction"));
        fixture.ui.call(editor::save).join();
        Validation validation = fixture.session.validate();
        fixture.ui.run(() -> editor.showProblems(validation.byItem().getOrDefault(TRIGGER, java.util.List.of())));

        assertThat(fixture.ui.call(() -> editor.problemsAt("function_name"))).singleElement().asString().contains("noSuchFunction");
        assertThat(fixture.ui.call(() -> editor.problemsAt("config.database"))).isEmpty();
    }

    @Test
    void aNumberFieldRefusesTextBesideTheForm() {
        FormField asNumber = new FormField("disabled", FormField.Kind.NUMBER, "0");
        String before = fixture.ui.call(() -> editor.textProperty().get());
        fixture.ui.run(() -> editor.setField(asNumber, "many"));
        assertThat(fixture.ui.call(() -> editor.formErrorProperty().get())).isEqualTo("disabled must be a number, not 'many'.");
        assertThat(fixture.ui.call(() -> editor.textProperty().get())).isEqualTo(before);
    }

    @Test
    void aProblemsFieldIsRevealedAtItsLine() {
        fixture.ui.run(() -> editor.revealField("config.database"));
        assertThat(fixture.ui.call(() -> editor.requestedLineProperty().get())).isEqualTo(7);
        fixture.ui.run(() -> editor.revealField("function_name"));
        assertThat(fixture.ui.call(() -> editor.requestedLineProperty().get())).isEqualTo(15);
        fixture.ui.run(() -> editor.revealField("config.operation_types[0]"));
        assertThat(fixture.ui.call(() -> editor.requestedLineProperty().get())).isEqualTo(9);
        fixture.ui.run(() -> editor.revealField("nowhere"));
        assertThat(fixture.ui.call(() -> editor.requestedLineProperty().get())).isEqualTo(1);
    }
}
