package dev.thimble.workbench.sync;

import atlantafx.base.theme.Styles;
import dev.thimble.runtime.sync.SyncSessions;
import dev.thimble.workbench.shell.DockPanel;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;

import java.time.Instant;
import java.util.function.Function;

/**
 * The Sync tab of the dock: the open Device Sync sessions in a table (user, client file, connected
 * since, subscriptions, last activity, traffic), and for the selected one its subscriptions per class
 * and recent sync log records; an empty table says why and what to do.
 */
public final class SyncView {
    private final SplitPane root;
    private final TableView<SyncSessions.Session> table = new TableView<>();

    public SyncView(SyncViewModel model) {
        table.setId("sync-sessions");
        table.getStyleClass().add(Styles.DENSE);
        table.setItems(model.sessions());
        Label empty = new Label();
        empty.setId("sync-empty");
        empty.textProperty().bind(model.emptyTextProperty());
        empty.setWrapText(true);
        empty.setPadding(new Insets(0, 16, 0, 16));
        table.setPlaceholder(empty);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(
                column("User", 170, s -> s.userName() + " \u00b7 " + shortId(s.userId())),
                column("File", 50, s -> s.clientFileIdent() == 0 ? "\u2014" : Long.toString(s.clientFileIdent())),
                column("Connected", 112, s -> SyncViewModel.when(s.connectedAt(), Instant.now())),
                column("Last active", 112, s -> SyncViewModel.when(s.lastActivity(), Instant.now())),
                column("Up", 45, s -> Long.toString(s.uploads())),
                column("Down", 60, s -> Long.toString(s.downloads())),
                subscriptionsColumn());
        // the table is refilled when a session changes: keep the selection on the same session
        model.sessions().addListener((ListChangeListener<SyncSessions.Session>) c -> {
            SyncSessions.Session wanted = model.selectedProperty().get();
            if (wanted != null) {
                model.sessions().stream().filter(s -> s.id().equals(wanted.id())).findFirst()
                        .ifPresent(s -> table.getSelectionModel().select(s));
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            if (now != null || model.sessions().isEmpty()) {
                model.select(now);
            }
        });

        Button refresh = DockPanel.button("Refresh", "sync-refresh", Feather.REFRESH_CW, model::refresh);
        refresh.setTooltip(new Tooltip("The list also refreshes by itself every second"));
        Label summary = DockPanel.summary("sync-summary", model.summaryProperty());

        Label title = new Label();
        title.setId("sync-detail-title");
        title.textProperty().bind(model.detailTitleProperty());
        title.setWrapText(true);
        title.setMinHeight(Region.USE_PREF_SIZE);
        TextArea subscriptions = new TextArea();
        subscriptions.setId("sync-subscriptions");
        subscriptions.getStyleClass().add("mono");
        subscriptions.setEditable(false);
        subscriptions.setWrapText(true);
        subscriptions.setPrefRowCount(3);
        subscriptions.setMinHeight(58); // two lines of queries even in a short dock
        subscriptions.textProperty().bind(model.subscriptionsProperty());
        subscriptions.visibleProperty().bind(model.selectedProperty().isNotNull());
        subscriptions.managedProperty().bind(subscriptions.visibleProperty());
        Label recordsTitle = new Label("Recent sync log records (newest first)");
        recordsTitle.getStyleClass().add("field-label");
        ListView<String> records = new ListView<>(model.records());
        records.setId("sync-records");
        records.getStyleClass().addAll(Styles.DENSE, "mono");
        records.setPlaceholder(new Label("Select a session"));
        records.setCellFactory(list -> {
            // long records wrap instead of running past the panel's edge
            javafx.scene.control.ListCell<String> cell = new javafx.scene.control.ListCell<>() {
                @Override
                protected void updateItem(String item, boolean empty) {
                    super.updateItem(item, empty);
                    setText(empty ? null : item);
                }
            };
            cell.setWrapText(true);
            cell.prefWidthProperty().bind(list.widthProperty().subtract(24));
            return cell;
        });
        VBox detail = new VBox(4, title, subscriptions, recordsTitle, records);
        VBox.setVgrow(records, Priority.ALWAYS);
        detail.setMinWidth(0);

        root = DockPanel.of("sync-panel", java.util.List.of(refresh, summary), java.util.List.of(), table,
                "Selected session", detail, 0.6);
        model.activate();
    }

    private static String shortId(String id) {
        return id.length() <= 8 ? id : "\u2026" + id.substring(id.length() - 6);
    }

    private static TableColumn<SyncSessions.Session, String> column(String title, double width,
                                                                   Function<SyncSessions.Session, String> text) {
        TableColumn<SyncSessions.Session, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        // the last column takes what is left; these keep their width so headers and times stay readable
        column.setMinWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return column;
    }

    /** Every class's query, the whole text as a tooltip where the column cuts it. */
    private static TableColumn<SyncSessions.Session, String> subscriptionsColumn() {
        TableColumn<SyncSessions.Session, String> column = column("Subscriptions", 220, SyncViewModel::subscriptionsSummary);
        column.setMinWidth(120);
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null ? null : new Tooltip(item));
            }
        });
        return column;
    }

    public Node node() {
        return root;
    }

    public TableView<SyncSessions.Session> table() {
        return table;
    }
}
