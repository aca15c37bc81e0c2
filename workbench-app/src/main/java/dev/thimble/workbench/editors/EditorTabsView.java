package dev.thimble.workbench.editors;

import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.editors.json.JsonEditorView;
import dev.thimble.workbench.editors.json.JsonEditorViewModel;
import dev.thimble.workbench.editors.values.ValuesEditorView;
import dev.thimble.workbench.editors.values.ValuesEditorViewModel;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The editor tabs, kept in step with {@link EditorTabsViewModel}: a tab per open editor, its label
 * marked while dirty, closing through the view-model (which asks about unsaved changes).
 */
public final class EditorTabsView {
    private final TabPane tabs = new TabPane();
    private final StackPane root;
    private final Map<EditorViewModel, Tab> tabByEditor = new IdentityHashMap<>();
    private final Map<EditorViewModel, Object> viewByEditor = new IdentityHashMap<>();
    private final Map<EditorViewModel, Runnable> unbindByEditor = new IdentityHashMap<>();
    private java.util.function.BiFunction<FunctionEditorViewModel, FunctionEditorView, Runnable> functionViewHook = (model, view) -> null;
    private final EditorTabsViewModel model;
    private final EditorTabsViewModel.CloseQuestion question;
    private boolean syncing;

    public EditorTabsView(EditorTabsViewModel model, EditorTabsViewModel.CloseQuestion question) {
        this.model = model;
        this.question = question;
        tabs.setId("editor-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        Label empty = new Label("Open an item from the explorer (double-click or Enter).");
        empty.getStyleClass().add("empty-hint");
        empty.visibleProperty().bind(Bindings.isEmpty(tabs.getTabs()));
        root = new StackPane(tabs, empty);

        model.editors().forEach(this::addTab);
        model.editors().addListener((ListChangeListener<EditorViewModel>) change -> {
            while (change.next()) {
                change.getRemoved().forEach(this::removeTab);
                change.getAddedSubList().forEach(this::addTab);
            }
        });
        model.selectedProperty().addListener((obs, old, now) -> {
            Tab tab = now == null ? null : tabByEditor.get(now);
            if (tab != null && !syncing) {
                tabs.getSelectionModel().select(tab);
            }
        });
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            syncing = true;
            try {
                model.selectedProperty().set(now == null ? null : (EditorViewModel) now.getUserData());
            } finally {
                syncing = false;
            }
        });
    }

    private void addTab(EditorViewModel editor) {
        Node content = viewOf(editor);
        Tab tab = new Tab();
        tab.setUserData(editor);
        tab.setContent(content);
        tab.textProperty().bind(Bindings.when(editor.dirtyProperty()).then("\u25CF " + editor.title()).otherwise(editor.title()));
        tab.setGraphic(new FontIcon(iconOf(editor)));
        tab.setOnCloseRequest(event -> {
            event.consume(); // the view-model decides, after asking about unsaved changes
            model.close(editor, question);
        });
        tabByEditor.put(editor, tab);
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
    }

    private void removeTab(EditorViewModel editor) {
        Tab tab = tabByEditor.remove(editor);
        viewByEditor.remove(editor);
        Runnable undo = unbindByEditor.remove(editor);
        if (undo != null) {
            undo.run();
        }
        if (tab != null) {
            tabs.getTabs().remove(tab);
        }
    }

    private Node viewOf(EditorViewModel editor) {
        return switch (editor) {
            case FunctionEditorViewModel f -> {
                FunctionEditorView view = new FunctionEditorView(f);
                Runnable undo = functionViewHook.apply(f, view);
                if (undo != null) {
                    unbindByEditor.put(editor, undo);
                }
                yield remember(editor, view, FunctionEditorView::node);
            }
            case ValuesEditorViewModel v -> remember(editor, new ValuesEditorView(v), ValuesEditorView::node);
            case JsonEditorViewModel j -> remember(editor, new JsonEditorView(j), JsonEditorView::node);
            case dev.thimble.workbench.editors.rules.RuleDesignerEditorViewModel r ->
                    remember(editor, new dev.thimble.workbench.editors.rules.RuleDesignerEditorView(r),
                            dev.thimble.workbench.editors.rules.RuleDesignerEditorView::node);
            default -> new Label("No editor for " + editor.item().file() + " yet.");
        };
    }

    private <V> Node remember(EditorViewModel editor, V view, java.util.function.Function<V, Node> node) {
        viewByEditor.put(editor, view);
        return node.apply(view);
    }

    private static Feather iconOf(EditorViewModel editor) {
        return switch (editor) {
            case FunctionEditorViewModel f -> Feather.CODE;
            case ValuesEditorViewModel v -> Feather.SLIDERS;
            default -> Feather.FILE_TEXT;
        };
    }

    /**
     * What every function editor gets when it opens (the debugger's gutter); the returned action, if
     * any, runs when its tab closes.
     */
    public void onFunctionView(java.util.function.BiFunction<FunctionEditorViewModel, FunctionEditorView, Runnable> hook) {
        functionViewHook = hook;
    }

    /** The view showing an editor (for tests and screenshots), or null. */
    public Object viewFor(EditorViewModel editor) {
        return viewByEditor.get(editor);
    }

    public Node node() {
        return root;
    }
}
