package dev.thimble.workbench.editors.values;

import dev.thimble.workbench.testing.EditorFixture;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesEditorViewModelTest {
    @TempDir
    Path temp;
    private EditorFixture fixture;
    private ValuesEditorViewModel editor;

    @BeforeEach
    void openValues() {
        fixture = new EditorFixture(temp);
        editor = fixture.ui.call(() -> new ValuesEditorViewModel(fixture.context, fixture.model.get().values()));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** The row of a value; call it on the UI thread. */
    private ValueRow row(String name) {
        return editor.rows().stream().filter(r -> r.nameProperty().get().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void rowsShowEachValueAsJson() {
        assertThat(fixture.ui.call(() -> editor.rows().stream().map(r -> r.nameProperty().get() + "=" + r.valueJsonProperty().get()
                + (r.fromSecretProperty().get() ? " (secret)" : "")).toList()))
                .containsExactly("appTitle=\"Thimble Todo\"", "chatWebhookKey=\"chatWebhookKey\" (secret)", "maxItemLength=200");
    }

    @Test
    void aValueThatIsNotJsonIsShownBesideItsRowAndNothingIsSaved() {
        String before = TestApps.read(fixture.appDir.resolve("values/appTitle.json"));
        fixture.ui.run(() -> row("appTitle").valueJsonProperty().set("Thimble Todo without quotes"));

        assertThat(fixture.ui.call(() -> editor.problemOf(row("appTitle")))).contains("not JSON").contains("quotes");
        assertThat(fixture.ui.call(() -> editor.rowProblemsProperty().get())).startsWith("appTitle: ");
        assertThat(fixture.ui.call(editor::save).join()).isFalse();
        assertThat(fixture.ui.call(() -> editor.messageProperty().get())).contains("Nothing was saved");
        assertThat(TestApps.read(fixture.appDir.resolve("values/appTitle.json"))).isEqualTo(before);
    }

    @Test
    void aSecretValueMustNameTheSecret() {
        fixture.ui.run(() -> row("chatWebhookKey").valueJsonProperty().set("42"));
        assertThat(fixture.ui.call(() -> editor.problemOf(row("chatWebhookKey")))).contains("secret's name");
    }

    @Test
    void anEditedValueIsSavedToItsFileOnly() {
        fixture.ui.run(() -> row("maxItemLength").valueJsonProperty().set("120"));
        assertThat(fixture.ui.call(editor::isDirty)).isTrue();

        assertThat(fixture.ui.call(editor::save).join()).isTrue();

        assertThat(TestApps.read(fixture.appDir.resolve("values/maxItemLength.json"))).contains("\"value\": 120");
        assertThat(fixture.saves.getFirst().changed()).containsExactly("values/maxItemLength.json");
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
    }

    @Test
    void anAddedValueGetsAFileAndARemovedOneLosesIt() {
        fixture.ui.run(() -> {
            editor.addValue("greeting").valueJsonProperty().set("{\"en\": \"hello\"}");
            editor.remove(row("appTitle"));
        });
        assertThat(fixture.ui.call(editor::save).join()).isTrue();

        assertThat(TestApps.read(fixture.appDir.resolve("values/greeting.json"))).contains("\"name\": \"greeting\"").contains("\"en\": \"hello\"");
        assertThat(fixture.appDir.resolve("values/appTitle.json")).doesNotExist();
        assertThat(fixture.model.get().value("greeting")).isPresent();
    }

    @Test
    void twoValuesWithOneNameAreRefused() {
        fixture.ui.run(() -> editor.addValue("appTitle"));
        assertThat(fixture.ui.call(() -> editor.rowProblemsProperty().get())).contains("another value is also named appTitle");
        assertThat(fixture.ui.call(editor::save).join()).isFalse();
    }
}
