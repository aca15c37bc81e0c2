package dev.thimble.workbench.explorer;

import atlantafx.base.theme.Styles;
import dev.thimble.ruledesigner.RuleTemplate;
import dev.thimble.runtime.apps.Starters;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.List;
import java.util.function.Function;

/**
 * The explorer's New / Rename / Duplicate / Delete form, shown over the window (in the scene graph,
 * like the pickers: themes, keyboard and tests reach it). Enter confirms, Escape cancels. The form's
 * fields follow the kind of item; every answer is a property of {@link StructureViewModel}.
 */
public final class StructurePane {
    private final StructureViewModel model;
    private final StackPane overlay = new StackPane();
    private final VBox card = new VBox(10);
    private final Label title = new Label();
    private final GridPane form = new GridPane();
    private final Label error = new Label();
    private final Button ok = new Button("Create");

    public StructurePane(StructureViewModel model) {
        this.model = model;
        overlay.setId("structure-pane");
        overlay.getStyleClass().add("structure-overlay");
        overlay.setStyle("-fx-background-color: rgba(0,0,0,0.25);");
        overlay.setVisible(false);
        overlay.setOnMouseClicked(e -> {
            if (e.getTarget() == overlay) {
                model.cancel();
            }
        });
        title.getStyleClass().add(Styles.TITLE_4);
        error.setId("structure-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setWrapText(true);
        error.textProperty().bind(model.errorProperty());
        error.visibleProperty().bind(model.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        error.setMaxWidth(560);

        form.setHgap(10);
        form.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setMinWidth(280);
        form.getColumnConstraints().addAll(labels, fields);

        ok.setId("structure-ok");
        ok.setDefaultButton(true);
        ok.getStyleClass().add(Styles.ACCENT);
        ok.setMinWidth(Region.USE_PREF_SIZE);
        ok.setOnAction(e -> model.confirm());
        Button cancel = new Button("Cancel");
        cancel.setId("structure-cancel");
        cancel.setCancelButton(true);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setOnAction(e -> model.cancel());
        HBox buttons = new HBox(8, cancel, ok);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        card.getChildren().addAll(title, form, error, buttons);
        card.setPadding(new Insets(18));
        card.setMaxWidth(620);
        card.setMaxHeight(Region.USE_PREF_SIZE);
        card.getStyleClass().add("structure-card");
        card.setStyle("-fx-background-color: -color-bg-default; -fx-border-color: -color-border-default; "
                + "-fx-background-radius: 6; -fx-border-radius: 6; -fx-effect: dropshadow(gaussian, rgba(0,0,0,0.3), 16, 0, 0, 4);");
        StackPane.setAlignment(card, Pos.TOP_CENTER);
        StackPane.setMargin(card, new Insets(70, 20, 20, 20));
        overlay.getChildren().add(card);
        overlay.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                model.cancel();
                e.consume();
            }
        });

        model.modeProperty().addListener((obs, old, now) -> rebuild());
        model.kindProperty().addListener((obs, old, now) -> rebuild());
        model.triggerKindProperty().addListener((obs, old, now) -> rebuild());
        model.referencesProperty().addListener((obs, old, now) -> rebuild());
    }

    private void rebuild() {
        StructureViewModel.Mode mode = model.modeProperty().get();
        overlay.setVisible(mode != StructureViewModel.Mode.NONE);
        form.getChildren().clear();
        if (mode == StructureViewModel.Mode.NONE) {
            return;
        }
        row = 0;
        switch (mode) {
            case NEW -> newForm();
            case RENAME -> {
                title.setText("Rename " + model.targetProperty().get().title());
                text("New name", "structure-name", model.nameProperty(), "references to it are updated");
                note("Triggers, endpoints, webhooks, %function in rules and literal context.functions.execute(...) calls "
                        + "follow the new name; you see what changed afterwards. Undo with Edit \u203a Undo.");
                ok.setText("Rename");
            }
            case DUPLICATE -> {
                title.setText("Duplicate " + model.targetProperty().get().title());
                text("Name of the copy", "structure-name", model.nameProperty(), "");
                ok.setText("Duplicate");
            }
            case DELETE -> {
                title.setText("Delete " + model.targetProperty().get().title() + "?");
                List<String> refs = model.referencesProperty().get();
                if (refs.isEmpty()) {
                    note("Nothing in the app refers to it. Undo with Edit \u203a Undo.");
                } else {
                    Label warn = new Label("Still used by " + refs.size() + " place(s); they break when it goes:");
                    warn.getStyleClass().add(Styles.WARNING);
                    warn.setId("structure-references-title");
                    form.add(warn, 0, row++, 2, 1);
                    ListView<String> list = new ListView<>();
                    list.setId("structure-references");
                    list.getItems().setAll(refs);
                    list.setPrefHeight(Math.min(6, refs.size()) * 30 + 20); // every row up to six, and room for a scroll bar
                    form.add(list, 0, row++, 2, 1);
                }
                ok.setText(refs.isEmpty() ? "Delete" : "Delete anyway");
            }
            case NONE -> { }
        }
        javafx.application.Platform.runLater(() -> form.getChildren().stream()
                .filter(n -> n instanceof TextField || n instanceof ComboBox).findFirst().ifPresent(Node::requestFocus));
    }

    private int row;

    private void newForm() {
        StructureViewModel.Kind kind = model.kindProperty().get();
        title.setText("New " + kind.title().toLowerCase(java.util.Locale.ROOT));
        ok.setText("Create");
        switch (kind) {
            case FUNCTION -> {
                text("Name", "structure-name", model.nameProperty(), "e.g. placeOrder");
                choice("Start from", "structure-starter", List.of(Starters.FunctionStarter.values()), model.starterProperty(),
                        Starters.FunctionStarter::title);
                CheckBox priv = new CheckBox("Private (only other functions, triggers and rules may call it)");
                priv.selectedProperty().bindBidirectional(model.privateFunctionProperty());
                form.add(priv, 1, row++);
            }
            case COLLECTION_RULE -> {
                names("Service", "structure-service", model.mongoServices(), model.serviceProperty());
                editable("Collection", "structure-namespace", model.namespaces(), model.namespaceProperty(), "database.collection");
                template();
            }
            case DEFAULT_RULE -> {
                names("Service", "structure-service", model.mongoServices(), model.serviceProperty());
                template();
            }
            case TRIGGER -> {
                text("Name", "structure-name", model.nameProperty(), "");
                choice("Type", "structure-trigger-kind", List.of(Starters.TriggerKind.values()), model.triggerKindProperty(),
                        k -> k.name().charAt(0) + k.name().substring(1).toLowerCase(java.util.Locale.ROOT));
                switch (model.triggerKindProperty().get()) {
                    case DATABASE -> {
                        names("Service", "structure-service", model.mongoServices(), model.serviceProperty());
                        editable("Collection", "structure-namespace", model.namespaces(), model.namespaceProperty(), "database.collection");
                        text("Operations", "structure-operations", model.operationsProperty(), "INSERT, UPDATE, REPLACE, DELETE");
                    }
                    case SCHEDULED -> text("Schedule (cron, UTC)", "structure-schedule", model.scheduleProperty(), "0 * * * * = hourly");
                    case AUTHENTICATION -> {
                        text("Action", "structure-action", model.actionProperty(), "CREATE, LOGIN or DELETE");
                        text("Providers", "structure-providers", model.providersProperty(),
                                String.join(", ", model.providerNames()));
                    }
                }
                names("Function", "structure-function", model.functions(), model.functionProperty());
            }
            case VALUE -> {
                text("Name", "structure-name", model.nameProperty(), "");
                text("Value (JSON)", "structure-value", model.valueProperty(), "\"text\", 42, {\"a\": 1}");
            }
            case SECRET -> {
                text("Name", "structure-name", model.nameProperty(), "");
                PasswordField secret = new PasswordField();
                secret.setId("structure-value");
                secret.textProperty().bindBidirectional(model.valueProperty());
                secret.setPromptText("kept in the local secret store, never in the bundle");
                add("Value", secret);
            }
            case SERVICE -> {
                text("Name", "structure-name", model.nameProperty(), "");
                choice("Type", "structure-service-kind", List.of(Starters.ServiceKind.values()), model.serviceKindProperty(),
                        Starters.ServiceKind::title);
            }
            case SERVICE_RULE -> {
                names("Service", "structure-service", model.otherServices(), model.serviceProperty());
                text("Name", "structure-name", model.nameProperty(), "");
                text("Allowed hosts", "structure-hosts", model.hostsProperty(), "api.partner.example, other.example");
            }
            case WEBHOOK -> {
                names("Service", "structure-service", model.otherServices(), model.serviceProperty());
                text("Name", "structure-name", model.nameProperty(), "");
            }
            case ENDPOINT -> {
                choice("Method", "structure-method", List.of("GET", "POST", "PUT", "PATCH", "DELETE", "*"), model.methodProperty(), s -> s);
                text("Route", "structure-name", model.nameProperty(), "/orders");
                names("Function", "structure-function", model.functions(), model.functionProperty());
            }
            case AUTH_PROVIDER -> choice("Provider", "structure-provider-type",
                    List.of("anon-user", "local-userpass", "api-key", "custom-token", "custom-function", "oauth2-google", "oauth2-apple"),
                    model.providerTypeProperty(), s -> s);
            case ENVIRONMENT -> text("Tag", "structure-name", model.nameProperty(), "development, testing, qa, production");
        }
    }

    private void template() {
        ComboBox<RuleTemplate> templates = new ComboBox<>();
        templates.setId("structure-template");
        templates.getItems().add(null);
        templates.getItems().addAll(StructureViewModel.RULE_TEMPLATES);
        templates.setConverter(converter(t -> t == null ? "Empty (no roles: denies every user request)" : t.title()));
        templates.valueProperty().bindBidirectional(model.ruleTemplateProperty());
        templates.setMaxWidth(Double.MAX_VALUE);
        add("Start from", templates);
        text("Owner field", "structure-owner-field", model.ownerFieldProperty(), "owner_id");
    }

    private void text(String label, String id, StringProperty property, String prompt) {
        TextField field = new TextField();
        field.setId(id);
        field.textProperty().bindBidirectional(property);
        field.setPromptText(prompt);
        add(label, field);
    }

    private void names(String label, String id, ObservableList<String> choices, StringProperty property) {
        ComboBox<String> box = new ComboBox<>(choices);
        box.setId(id);
        box.setEditable(true);
        box.valueProperty().bindBidirectional(property);
        box.setMaxWidth(Double.MAX_VALUE);
        add(label, box);
    }

    private void editable(String label, String id, ObservableList<String> choices, StringProperty property, String prompt) {
        ComboBox<String> box = new ComboBox<>(choices);
        box.setId(id);
        box.setEditable(true);
        box.setPromptText(prompt);
        box.valueProperty().bindBidirectional(property);
        box.getEditor().textProperty().addListener((obs, old, now) -> property.set(now));
        box.setMaxWidth(Double.MAX_VALUE);
        add(label, box);
    }

    private <T> void choice(String label, String id, List<T> values, ObjectProperty<T> property, Function<T, String> text) {
        ComboBox<T> box = new ComboBox<>();
        box.setId(id);
        box.getItems().setAll(values);
        box.setConverter(converter(text));
        box.valueProperty().bindBidirectional(property);
        box.setMaxWidth(Double.MAX_VALUE);
        add(label, box);
    }

    private void choice(String label, String id, List<String> values, StringProperty property, Function<String, String> text) {
        ComboBox<String> box = new ComboBox<>();
        box.setId(id);
        box.getItems().setAll(values);
        box.valueProperty().bindBidirectional(property);
        box.setMaxWidth(Double.MAX_VALUE);
        add(label, box);
    }

    private void note(String text) {
        Label note = new Label(text);
        note.setWrapText(true);
        note.getStyleClass().add(Styles.TEXT_MUTED);
        note.setMaxWidth(560);
        form.add(note, 0, row++, 2, 1);
    }

    private void add(String label, Node field) {
        Label name = new Label(label);
        name.setMinWidth(Region.USE_PREF_SIZE);
        name.setLabelFor(field);
        form.add(name, 0, row);
        form.add(field, 1, row++);
        GridPane.setHgrow(field, Priority.ALWAYS);
    }

    private static <T> StringConverter<T> converter(Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return text.apply(value);
            }

            @Override
            public T fromString(String string) {
                return null;
            }
        };
    }

    public Node node() {
        return overlay;
    }
}
