package dev.thimble.workbench.editors.json;

import atlantafx.base.theme.Styles;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The form beside a config file's JSON: one control per field (text, number, true/false, a list of
 * names), the validator's messages for a field right under it. Editing a field rewrites the JSON; the
 * JSON stays the whole truth (objects such as a trigger's {@code match} are edited there).
 */
final class JsonFormView {
    private final VBox fields = new VBox(8);
    private final ScrollPane root = new ScrollPane(fields);
    private final JsonEditorViewModel model;

    JsonFormView(JsonEditorViewModel model) {
        this.model = model;
        fields.setPadding(new Insets(12));
        fields.getStyleClass().add("settings-form");
        fields.setId("json-form");
        root.setFitToWidth(true);
        root.setMinWidth(220);
        model.form().addListener((ListChangeListener<FormField>) change -> rebuild());
        model.problems().addListener((ListChangeListener<dev.thimble.runtime.app.Problem>) change -> rebuild());
        model.formErrorProperty().addListener((obs, old, now) -> rebuild());
        rebuild();
    }

    private void rebuild() {
        // a field being typed in keeps its control: rebuilding would take the caret away
        if (fields.getScene() != null && fields.getScene().getFocusOwner() instanceof TextField focused && fields.getChildren().stream()
                .anyMatch(n -> n instanceof VBox box && box.getChildren().contains(focused))) {
            return;
        }
        Label title = new Label("Form");
        title.getStyleClass().add("form-title");
        fields.getChildren().setAll(title);
        String error = model.formErrorProperty().get();
        if (error != null && !error.isEmpty()) {
            Label e = new Label(error);
            e.getStyleClass().add("field-error");
            e.setWrapText(true);
            fields.getChildren().add(e);
        }
        for (FormField field : model.form()) {
            fields.getChildren().add(row(field));
        }
    }

    private Node row(FormField field) {
        VBox box = new VBox(2);
        box.setId("form-" + field.path());
        Node control;
        if (field.kind() == FormField.Kind.BOOLEAN) {
            CheckBox check = new CheckBox(field.path());
            check.setMnemonicParsing(false); // field names have underscores
            check.setSelected(Boolean.parseBoolean(field.value()));
            check.selectedProperty().addListener((obs, old, now) -> model.setField(field, Boolean.toString(now)));
            control = check;
            box.getChildren().add(control);
        } else {
            Label label = new Label(field.path() + (field.kind() == FormField.Kind.TEXT_LIST ? " (comma-separated)" : ""));
            label.getStyleClass().add("field-label");
            TextField text = new TextField(field.value());
            text.getStyleClass().add(Styles.SMALL);
            text.setOnAction(e -> commit(field, text));
            text.focusedProperty().addListener((obs, was, now) -> {
                if (!now) {
                    commit(field, text);
                }
            });
            box.getChildren().addAll(label, text);
        }
        List<String> problems = model.problemsAt(field.path());
        for (String p : problems) {
            Label l = new Label(p);
            l.getStyleClass().add("field-error");
            l.setWrapText(true);
            box.getChildren().add(l);
        }
        return box;
    }

    private void commit(FormField field, TextField text) {
        if (!text.getText().equals(field.value())) {
            model.setField(field, text.getText());
            javafx.application.Platform.runLater(this::rebuild);
        }
    }

    Node node() {
        return root;
    }
}
