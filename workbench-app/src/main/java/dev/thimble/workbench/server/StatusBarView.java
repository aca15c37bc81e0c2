package dev.thimble.workbench.server;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.geometry.Orientation;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Consumer;

/**
 * The status bar: whether the server runs, its URL and the client app id (a click copies either),
 * the database in use, and the latest notice (a server error in red).
 */
public final class StatusBarView {
    private final HBox root = new HBox(10);

    /**
     * @param notice the window's general notice ("Saved ...")
     * @param tell   shows a message in that notice (e.g. what was copied)
     */
    public StatusBarView(ServerViewModel server, ObservableStringValue notice, Consumer<String> tell) {
        this(server, notice, tell, new javafx.beans.property.SimpleDoubleProperty(), () -> { }, new javafx.beans.property.SimpleBooleanProperty());
    }

    /**
     * @param requestsPerSecond the logs' rate, shown while the server runs
     * @param showLogs          what a click on the rate does
     * @param working           true while long work runs (a spinner shows beside the notice)
     */
    public StatusBarView(ServerViewModel server, ObservableStringValue notice, Consumer<String> tell,
                         javafx.beans.value.ObservableDoubleValue requestsPerSecond, Runnable showLogs,
                         javafx.beans.value.ObservableBooleanValue working) {
        root.getStyleClass().add("status-bar");
        root.setAlignment(Pos.CENTER_LEFT);
        root.setPadding(new Insets(3, 10, 3, 10));

        Circle dot = new Circle(5);
        dot.getStyleClass().add("server-dot");
        server.stateProperty().addListener((obs, old, now) -> styleDot(dot, now));
        styleDot(dot, server.stateProperty().get());
        Label state = new Label();
        state.setId("server-state");
        state.setGraphic(dot);
        state.setMinWidth(Region.USE_PREF_SIZE);
        state.textProperty().bind(server.stateProperty().map(s -> switch (s) {
            case STOPPED -> "Stopped";
            case STARTING -> "Starting...";
            case RUNNING -> "Running";
            case STOPPING -> "Stopping...";
        }));

        Label url = copyable(server.clientApiUrlProperty(), "server-url", Feather.LINK, "client API URL", tell);
        Label appId = copyable(server.clientAppIdProperty(), "client-app-id", Feather.HASH, "client app id", tell);
        Label database = new Label();
        database.setId("database");
        database.setGraphic(new FontIcon(Feather.DATABASE));
        database.textProperty().bind(server.databaseProperty());
        database.visibleProperty().bind(server.databaseProperty().isNotEmpty());
        database.managedProperty().bind(database.visibleProperty());
        database.setMinWidth(0);
        Tooltip databaseTip = new Tooltip();
        databaseTip.textProperty().bind(server.databaseProperty());
        database.setTooltip(databaseTip);
        HBox.setHgrow(database, Priority.SOMETIMES);

        Label message = new Label();
        message.setId("status-notice");
        message.setMinWidth(0);
        message.textProperty().bind(Bindings.createStringBinding(() -> !server.errorProperty().get().isEmpty()
                        ? server.errorProperty().get()
                        : !notice.get().isEmpty() ? notice.get() : server.noticeProperty().get(),
                server.errorProperty(), notice, server.noticeProperty()));
        message.styleProperty().bind(Bindings.when(server.errorProperty().isNotEmpty())
                .then("-fx-text-fill: -color-danger-fg;").otherwise(""));
        Tooltip messageTip = new Tooltip();
        messageTip.textProperty().bind(message.textProperty());
        message.setTooltip(messageTip);
        HBox.setHgrow(message, Priority.ALWAYS);

        Label rate = new Label();
        rate.setId("requests-per-second");
        rate.setGraphic(new FontIcon(Feather.ACTIVITY));
        rate.setMinWidth(Region.USE_PREF_SIZE);
        rate.textProperty().bind(Bindings.createStringBinding(() -> String.format("%.1f req/s", requestsPerSecond.get()), requestsPerSecond));
        rate.visibleProperty().bind(server.stateProperty().isEqualTo(ServerViewModel.State.RUNNING));
        rate.managedProperty().bind(rate.visibleProperty());
        rate.setTooltip(new Tooltip("Requests per second over the last 5 seconds; click for the logs"));
        rate.setCursor(Cursor.HAND);
        rate.setOnMouseClicked(e -> showLogs.run());

        javafx.scene.control.ProgressIndicator progress = new javafx.scene.control.ProgressIndicator();
        progress.setId("work-progress");
        progress.setPrefSize(14, 14);
        progress.setMaxSize(14, 14);
        progress.visibleProperty().bind(working);
        progress.managedProperty().bind(progress.visibleProperty());
        progress.setTooltip(new Tooltip("Working (opening, importing or exporting)..."));

        root.getChildren().addAll(state, separator(), url, appId, separator(), rate, separator(), database, separator(), progress, message);
    }

    private static Separator separator() {
        return new Separator(Orientation.VERTICAL);
    }

    private static Label copyable(ObservableStringValue text, String id, Feather icon, String what, Consumer<String> tell) {
        Label label = new Label();
        label.setId(id);
        label.setGraphic(new FontIcon(icon));
        label.textProperty().bind(text);
        label.getStyleClass().add("copyable");
        label.setCursor(Cursor.HAND);
        label.setTooltip(new Tooltip("Click to copy the " + what));
        label.visibleProperty().bind(Bindings.isNotEmpty(text));
        label.managedProperty().bind(label.visibleProperty());
        label.setMinWidth(Region.USE_PREF_SIZE);
        label.setOnMouseClicked(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(text.get());
            Clipboard.getSystemClipboard().setContent(content);
            tell.accept("Copied the " + what + ": " + text.get());
        });
        return label;
    }

    private static void styleDot(Circle dot, ServerViewModel.State state) {
        dot.getStyleClass().removeAll("running", "stopped", "changing");
        dot.getStyleClass().add(switch (state) {
            case RUNNING -> "running";
            case STOPPED -> "stopped";
            default -> "changing";
        });
    }

    public Node node() {
        return root;
    }
}
