package dev.thimble.workbench.editors;

import dev.thimble.workbench.editors.EditorTabsViewModel.CloseDecision;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.testing.EditorFixture;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EditorTabsViewModelTest {
    private static final EditableItem ADD_ITEM = new EditableItem.Function("addItem");
    @TempDir
    Path temp;
    private EditorFixture fixture;
    private EditorTabsViewModel tabs;
    private final List<String> asked = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = new EditorFixture(temp);
        tabs = fixture.ui.call(() -> {
            EditorTabsViewModel created = new EditorTabsViewModel();
            created.useFactory(new EditorFactory(fixture.context)::create);
            return created;
        });
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private EditorTabsViewModel.CloseQuestion answering(CloseDecision decision) {
        return editor -> {
            asked.add(editor.item().file());
            return decision;
        };
    }

    private EditorViewModel openDirty() {
        return fixture.ui.call(() -> {
            EditorViewModel editor = tabs.open(ADD_ITEM).orElseThrow();
            ((FunctionEditorViewModel) editor).sourceProperty().set("exports = function() { return 'changed'; };\n");
            return editor;
        });
    }

    @Test
    void anItemOpensOnceAndOpeningItAgainSelectsIt() {
        fixture.ui.run(() -> {
            tabs.open(ADD_ITEM);
            tabs.open(new EditableItem.Values());
            tabs.open(ADD_ITEM);
        });
        assertThat(fixture.ui.call(() -> tabs.editors().stream().map(EditorViewModel::title).toList())).containsExactly("addItem", "Values");
        assertThat(fixture.ui.call(() -> tabs.selectedProperty().get().item())).isEqualTo(ADD_ITEM);
    }

    @Test
    void itemsWithoutAnEditorOpenNothing() {
        assertThat(fixture.ui.call(() -> tabs.open(new EditableItem.Secret("chatWebhookKey")))).isEmpty();
        assertThat(fixture.ui.call(() -> tabs.open(new EditableItem.Function("noSuchFunction")))).isEmpty();
    }

    @Test
    void closingACleanEditorDoesNotAsk() {
        EditorViewModel editor = fixture.ui.call(() -> tabs.open(ADD_ITEM).orElseThrow());
        assertThat(fixture.ui.call(() -> tabs.close(editor, answering(CloseDecision.CANCEL))).join()).isTrue();
        assertThat(asked).isEmpty();
        assertThat(fixture.ui.call(() -> tabs.editors().isEmpty())).isTrue();
    }

    @Test
    void cancellingKeepsADirtyEditorOpen() {
        EditorViewModel editor = openDirty();
        assertThat(fixture.ui.call(() -> tabs.close(editor, answering(CloseDecision.CANCEL))).join()).isFalse();
        assertThat(asked).containsExactly("functions/addItem/source.js");
        assertThat(fixture.ui.call(() -> tabs.editors().contains(editor))).isTrue();
    }

    @Test
    void discardingClosesWithoutWriting() {
        EditorViewModel editor = openDirty();
        assertThat(fixture.ui.call(() -> tabs.close(editor, answering(CloseDecision.DISCARD))).join()).isTrue();
        assertThat(TestApps.read(fixture.appDir.resolve("functions/addItem/source.js"))).doesNotContain("changed");
        assertThat(fixture.ui.call(() -> tabs.editors().isEmpty())).isTrue();
    }

    @Test
    void savingOnCloseWritesThenCloses() {
        EditorViewModel editor = openDirty();
        assertThat(fixture.ui.call(() -> tabs.close(editor, answering(CloseDecision.SAVE))).thenApply(x -> x).join()).isTrue();
        assertThat(TestApps.read(fixture.appDir.resolve("functions/addItem/source.js"))).contains("changed");
        assertThat(fixture.ui.call(() -> tabs.editors().isEmpty())).isTrue();
    }

    @Test
    void closeAllStopsAtTheFirstEditorTheUserKeeps() {
        fixture.ui.run(() -> tabs.open(new EditableItem.Values()));
        openDirty();
        assertThat(fixture.ui.call(() -> tabs.closeAll(answering(CloseDecision.CANCEL))).join()).isFalse();
        assertThat(fixture.ui.call(() -> tabs.editors().stream().map(EditorViewModel::title).toList())).containsExactly("addItem");
    }
}
