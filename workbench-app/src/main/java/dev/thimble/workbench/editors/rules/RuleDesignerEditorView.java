package dev.thimble.workbench.editors.rules;

import dev.thimble.ruledesigner.ui.RuleDesignerPane;
import dev.thimble.workbench.editors.EditorFrame;
import javafx.scene.Node;

/** The rule designer and simulator inside the editor frame every editor shares (file, save state, problems). */
public final class RuleDesignerEditorView {
    private final RuleDesignerPane pane;
    private final EditorFrame frame;

    public RuleDesignerEditorView(RuleDesignerEditorViewModel model) {
        pane = new RuleDesignerPane(model.designer(), model.simulator());
        frame = new EditorFrame(model, model.item().file(), pane.node());
    }

    public RuleDesignerPane pane() {
        return pane;
    }

    public Node node() {
        return frame.node();
    }
}
