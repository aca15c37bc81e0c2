package dev.thimble.workbench.editors;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.editors.json.JsonEditorViewModel;
import dev.thimble.workbench.editors.values.ValuesEditorViewModel;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ModelEdits;

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
            case JSON -> item instanceof EditableItem.CollectionRule rule ? ruleDesigner(app, rule)
                    : ModelEdits.jsonOf(app, item).map(json -> new JsonEditorViewModel(context, item, json));
            case NONE -> Optional.empty();
        };
    }

    /** A collection rule opens in the rule designer; one the designer cannot take (it never compiled) opens as JSON. */
    private Optional<EditorViewModel> ruleDesigner(AppModel app, EditableItem.CollectionRule item) {
        Optional<dev.thimble.runtime.app.CollectionRuleDef> rule = app.service(item.service())
                .flatMap(s -> s.collectionRules().stream().filter(r -> r.namespace().equals(item.namespace())).findFirst());
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new dev.thimble.workbench.editors.rules.RuleDesignerEditorViewModel(context, item, rule.get()));
        } catch (dev.thimble.ruledesigner.DesignException e) {
            return Optional.of(new JsonEditorViewModel(context, item, rule.get().config()));
        }
    }
}
