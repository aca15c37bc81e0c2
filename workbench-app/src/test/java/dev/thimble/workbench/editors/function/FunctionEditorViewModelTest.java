package dev.thimble.workbench.editors.function;

import dev.thimble.runtime.app.FunctionSourceChecker.SyntaxError;
import dev.thimble.workbench.testing.EditorFixture;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.ManualScheduler;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionEditorViewModelTest {
    @TempDir
    Path temp;
    private EditorFixture fixture;
    private FunctionEditorViewModel editor;

    /** The editors' debounce timer: time moves when a test moves it. */
    private final ManualScheduler timer = new ManualScheduler();

    @BeforeEach
    void openValidateItemText() {
        fixture = new EditorFixture(temp, timer);
        editor = fixture.ui.call(() -> new FunctionEditorViewModel(fixture.context,
                fixture.model.get().function("validateItemText").orElseThrow()));
        Eventually.await("the first parse", () -> fixture.ui.call(() -> editor.checkedProperty().get()));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theExampleSourceParses() {
        assertThat(fixture.ui.call(() -> editor.syntaxErrorProperty().get())).isNull();
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
    }

    @Test
    void aSyntaxErrorAppearsWithItsLineAfterTheTypingPause() {
        String broken = "exports = function(text) {\n  const x = ;\n  return x;\n};\n";
        fixture.ui.run(() -> editor.sourceProperty().set(broken));

        timer.advance(FunctionEditorViewModel.PARSE_DELAY.minusMillis(1));
        assertThat(timer.ran()).as("no parse before the typing pause is over").isZero();
        timer.advance(Duration.ofMillis(1));
        assertThat(timer.ran()).isEqualTo(1);
        Eventually.await(Duration.ofSeconds(5), "the syntax error", () -> fixture.ui.call(() -> editor.syntaxErrorProperty().get()) != null);
        SyntaxError error = fixture.ui.call(() -> editor.syntaxErrorProperty().get());
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.column()).isEqualTo(13);

        fixture.ui.run(() -> editor.sourceProperty().set("exports = function(text) { return text; };\n"));
        timer.advance(FunctionEditorViewModel.PARSE_DELAY);
        Eventually.await(Duration.ofSeconds(5), "the error to clear", () -> fixture.ui.call(() -> editor.syntaxErrorProperty().get()) == null);
    }

    @Test
    void onlyTheLastOfABurstOfEditsIsParsedSoAStaleErrorNeverShows() {
        fixture.ui.run(() -> editor.sourceProperty().set("exports = function( {"));
        timer.advance(FunctionEditorViewModel.PARSE_DELAY.minusMillis(1));
        fixture.ui.run(() -> editor.sourceProperty().set("exports = function() { return 1; };"));
        assertThat(timer.pending()).as("the second edit replaced the first one's parse").isEqualTo(1);

        timer.advance(FunctionEditorViewModel.PARSE_DELAY);

        assertThat(timer.ran()).isEqualTo(1);
        fixture.syntax.check("", "drain.js").join(); // the checks run in order: the edit's check has finished
        assertThat(fixture.ui.call(() -> editor.syntaxErrorProperty().get())).isNull();
    }

    @Test
    void dirtyFollowsTheContentNotTheKeystrokes() {
        String original = fixture.ui.call(() -> editor.sourceProperty().get());
        fixture.ui.run(() -> editor.sourceProperty().set(original + "// more\n"));
        assertThat(fixture.ui.call(editor::isDirty)).isTrue();
        fixture.ui.run(() -> editor.sourceProperty().set(original));
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
        fixture.ui.run(() -> editor.runAsSystemProperty().set(true));
        assertThat(fixture.ui.call(editor::isDirty)).isTrue();
    }

    @Test
    void saveWritesTheSourceAndTheSettingThatChangedThenIsClean() {
        fixture.ui.run(() -> {
            editor.sourceProperty().set("exports = function(text) { return String(text).trim(); };\n");
            editor.runAsSystemProperty().set(true);
        });
        Boolean saved = fixture.ui.call(editor::save).join();

        assertThat(saved).isTrue();
        assertThat(TestApps.read(fixture.appDir.resolve("functions/validateItemText/source.js")))
                .isEqualTo("exports = function(text) { return String(text).trim(); };\n");
        String config = TestApps.read(fixture.appDir.resolve("functions/validateItemText/config.json"));
        assertThat(config).contains("\"run_as_system\": true").contains("\"private\": true");
        assertThat(fixture.ui.call(editor::isDirty)).isFalse();
        assertThat(fixture.ui.call(() -> editor.messageProperty().get())).isEmpty();
        assertThat(fixture.saves).singleElement().satisfies(result ->
                assertThat(result.changed()).containsExactlyInAnyOrder(
                        "functions/validateItemText/source.js", "functions/validateItemText/config.json"));
    }

    @Test
    void whatIsTypedDuringASaveStaysDirty() {
        fixture.ui.run(() -> editor.sourceProperty().set("exports = function() { return 1; };\n"));
        var saving = fixture.ui.call(() -> {
            var future = editor.save();
            editor.sourceProperty().set("exports = function() { return 2; };\n");
            return future;
        });
        assertThat(saving.join()).isTrue();
        assertThat(fixture.ui.call(editor::isDirty)).isTrue();
        assertThat(TestApps.read(fixture.appDir.resolve("functions/validateItemText/source.js"))).contains("return 1;");
    }

    @Test
    void anEmptySourceIsNotSavedAndTheEditorSaysWhy() {
        fixture.ui.run(() -> editor.sourceProperty().set("  \n"));
        assertThat(fixture.ui.call(editor::save).join()).isFalse();
        assertThat(fixture.ui.call(() -> editor.messageProperty().get())).contains("empty");
        assertThat(TestApps.read(fixture.appDir.resolve("functions/validateItemText/source.js"))).contains("exports");
    }

    @Test
    void savingCodeThatDoesNotParseIsAllowedButTheEditorWarns() {
        fixture.ui.run(() -> editor.sourceProperty().set("exports = function( {\n"));
        timer.advance(FunctionEditorViewModel.PARSE_DELAY);
        Eventually.await("the syntax error", () -> fixture.ui.call(() -> editor.syntaxErrorProperty().get()) != null);
        assertThat(fixture.ui.call(editor::save).join()).isTrue();
        assertThat(fixture.ui.call(() -> editor.messageProperty().get())).contains("does not parse");
    }
}
