package dev.thimble.workbench.editors;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.editors.json.JsonEditorViewModel;
import dev.thimble.workbench.editors.values.ValuesEditorViewModel;
import dev.thimble.workbench.workspace.EditableItem;
import dev.thimble.workbench.workspace.ModelEdits;

import java.util.Optional;

/** Makes the editor view-model for an item, from the app as the UI last saw it. */
public final class EditorFactory {
    private final EditorContext context;

    public EditorFactory(EditorContext context) {
        this.context = context;
    }

    /** An editor for {@code item}, or empty when it has no editor (yet) or is no longer in the app. */
    public Optional<EditorViewModel> create(EditableItem item) {
        AppModel app = context.currentModel().get();
        return switch (item.editorKind()) {
            case FUNCTION -> app.function(((EditableItem.Function) item).name())
                    .map(f -> new FunctionEditorViewModel(context, f));
            case VALUES -> Optional.of(new ValuesEditorViewModel(context, app.values()));
            case JSON -> ModelEdits.jsonOf(app, item).map(json -> new JsonEditorViewModel(context, item, json));
            case NONE -> Optional.empty();
        };
    }
}
