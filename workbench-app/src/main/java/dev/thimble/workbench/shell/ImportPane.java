package dev.thimble.workbench.shell;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The import panel over the window: a progress bar and Cancel while it runs, then the summary and Close. */
public final class ImportPane {
    private final StackPane overlay = new StackPane();

    public ImportPane(ImportProgress model) {
        overlay.setId("import-pane");
        overlay.setStyle("-fx-background-color: rgba(0,0,0,0.25);");
        Label title = new Label("Import");
        title.getStyleClass().add(Styles.TITLE_4);
        Label step = new Label();
        step.setId("import-step");
        step.textProperty().bind(model.stepProperty());
        step.setWrapText(true);
        ProgressBar bar = new ProgressBar();
        bar.setId("import-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(model.fractionProperty());
        TextArea summary = new TextArea();
        summary.setId("import-summary");
        summary.setEditable(false);
        summary.setWrapText(true);
        summary.setPrefRowCount(14);
        summary.textProperty().bind(model.summaryProperty());
        summary.visibleProperty().bind(model.summaryProperty().isNotEmpty());
        summary.managedProperty().bind(summary.visibleProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("import-cancel");
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setOnAction(e -> model.cancel());
        cancel.disableProperty().bind(model.cancellingProperty());
        Button close = new Button("Close");
        close.setId("import-close");
        close.getStyleClass().add(Styles.ACCENT);
        close.setMinWidth(Region.USE_PREF_SIZE);
        close.setOnAction(e -> model.close());
        HBox buttons = new HBox(8, cancel, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(10, title, step, bar, summary, buttons);
        card.setPadding(new Insets(18));
        card.setMaxWidth(640);
        card.setMaxHeight(Region.USE_PREF_SIZE);
        card.setStyle("-fx-background-color: -color-bg-default; -fx-border-color: -color-border-default; "
                + "-fx-background-radius: 6; -fx-border-radius: 6; -fx-effect: dropshadow(gaussian, rgba(0,0,0,0.3), 16, 0, 0, 4);");
        StackPane.setAlignment(card, Pos.TOP_CENTER);
        StackPane.setMargin(card, new Insets(70, 20, 20, 20));
        overlay.getChildren().add(card);
        Runnable sync = () -> {
            ImportProgress.State now = model.stateProperty().get();
            overlay.setVisible(now != ImportProgress.State.IDLE);
            boolean running = now == ImportProgress.State.RUNNING;
            cancel.setVisible(running);
            cancel.setManaged(running);
            close.setVisible(!running);
            close.setManaged(!running);
            bar.setVisible(running || now == ImportProgress.State.DONE);
        };
        sync.run();
        model.stateProperty().addListener((obs, old, now) -> sync.run());
    }

    public Node node() {
        return overlay;
    }
}
