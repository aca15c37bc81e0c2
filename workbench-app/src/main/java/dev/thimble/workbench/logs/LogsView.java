package dev.thimble.workbench.logs;

import atlantafx.base.theme.Styles;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The logs panel: filters on top, the records in a virtualized table (errors in red; the newest kept
 * in view while "Follow" is on), and beside it the chart and the selected record's detail.
 */
public final class LogsView {
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(java.time.ZoneId.systemDefault());
    private static final String ALL_TYPES = "All types";
    private static final String ANY_STATUS = "Any status";

    private final BorderPane root = new BorderPane();
    private FlowPane bar;
    private LogsViewModel logsModel;
    private final TableView<LogRecord> table = new TableView<>();

    /** @param chooseExportFile asks where to export (a save dialog); empty when cancelled */
    public LogsView(LogsViewModel model, Supplier<Optional<Path>> chooseExportFile) {
        root.setId("logs-panel");
        root.getStyleClass().add("logs-panel");
        table.setId("log-table");
        table.getStyleClass().addAll(Styles.DENSE, "log-table");
        table.setItems(model.shown());
        // rows of one height: the virtual flow then never measures 100,000 rows to estimate its size
        table.setFixedCellSize(26);
        Label empty = new Label();
        empty.setId("log-empty-message");
        empty.setWrapText(true);
        empty.textProperty().bind(model.emptyMessageProperty());
        table.setPlaceholder(empty);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // the fixed columns are as wide as their widest content (a five-digit duration, a long type
        // name, "12:34:56.789"), measured in the table's font; Name and Error share the rest
        TableColumn<LogRecord, String> ms = column("ms", ColumnWidths.of("99999", "ms"), r -> Long.toString(r.duration().toMillis()));
        ms.setStyle("-fx-alignment: CENTER-RIGHT;");
        ms.setId("log-column-ms");
        table.getColumns().setAll(List.of(
                fixed(column("Time", ColumnWidths.of("00:00:00.000", "Time"), r -> TIME.format(r.started()))),
                fixed(column("Type", ColumnWidths.of("scheduled trigger", "Type"), r -> typeLabel(r.type()))),
                fixed(column("Status", ColumnWidths.of(LogStatus.SUCCESS.wire(), LogStatus.ERROR.wire(), "Status"), r -> r.status().wire())),
                column("Name", 170, LogsView::name),
                column("User", ColumnWidths.of("65a0000000000000000000aa"), r -> r.userId() == null ? "" : r.userId()),
                fixed(ms),
                column("Error", 200, r -> r.error() == null ? "" : firstLine(r.error()))));
        table.setRowFactory(view -> {
            TableRow<LogRecord> row = new TableRow<>();
            row.itemProperty().addListener((obs, old, now) -> row.pseudoClassStateChanged(ERROR, now != null && now.isError()));
            return row;
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> model.selectedProperty().set(now));
        model.selectedProperty().addListener((obs, old, now) -> {
            if (now != table.getSelectionModel().getSelectedItem()) {
                if (now == null) {
                    table.getSelectionModel().clearSelection();
                } else {
                    table.getSelectionModel().select(now);
                }
            }
        });
        model.shown().addListener((ListChangeListener<LogRecord>) change -> {
            if (model.followProperty().get() && !model.shown().isEmpty()) {
                table.scrollTo(model.shown().size() - 1);
            }
        });

        TextArea detail = new TextArea();
        detail.setId("log-detail");
        detail.getStyleClass().add("log-detail");
        detail.setEditable(false);
        detail.setWrapText(false);
        detail.textProperty().bind(model.detailProperty());
        detail.setPromptText("Select a record to see its request, user, arguments, console output, error and rule decision.");
        DecisionTreeView decision = new DecisionTreeView(model.decision());
        LogChartView chart = new LogChartView(model);
        SplitPane detailAndDecision = new SplitPane(detail, decision.node());
        detailAndDecision.setOrientation(Orientation.VERTICAL);
        detailAndDecision.setDividerPositions(0.38);
        // the decision pane takes no room until a record with a decision is selected
        Runnable placeDecision = () -> {
            boolean has = !model.decision().isEmpty();
            if (has && !detailAndDecision.getItems().contains(decision.node())) {
                detailAndDecision.getItems().add(decision.node());
                detailAndDecision.setDividerPositions(0.38);
            } else if (!has) {
                detailAndDecision.getItems().remove(decision.node());
            }
        };
        model.decision().addListener((ListChangeListener<DecisionTree.Node>) c -> placeDecision.run());
        placeDecision.run();
        VBox side = new VBox(chart.node(), detailAndDecision);
        VBox.setVgrow(detailAndDecision, javafx.scene.layout.Priority.ALWAYS);
        // in a short dock (1280×800) the record and its decision need the height more than the chart does
        chart.node().visibleProperty().bind(side.heightProperty().greaterThan(320));
        chart.node().managedProperty().bind(chart.node().visibleProperty());

        SplitPane split = new SplitPane(table, side);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.58);

        logsModel = model;
        root.setTop(filters(model, chooseExportFile));
        root.setCenter(split);
    }

    private Node filters(LogsViewModel model, Supplier<Optional<Path>> chooseExportFile) {
        ComboBox<String> type = new ComboBox<>();
        type.setId("log-filter-type");
        List<String> types = new ArrayList<>(List.of(ALL_TYPES));
        for (LogType t : LogType.values()) {
            types.add(t.name());
        }
        type.getItems().setAll(types);
        type.setPrefWidth(150);
        type.setValue(ALL_TYPES);
        type.valueProperty().addListener((obs, old, now) ->
                model.typeProperty().set(now == null || now.equals(ALL_TYPES) ? null : LogType.valueOf(now)));
        model.typeProperty().addListener((obs, old, now) -> type.setValue(now == null ? ALL_TYPES : now.name()));

        ComboBox<String> status = new ComboBox<>();
        status.setId("log-filter-status");
        status.getItems().setAll(ANY_STATUS, LogStatus.SUCCESS.wire(), LogStatus.ERROR.wire());
        status.setValue(ANY_STATUS);
        status.setPrefWidth(132);
        status.valueProperty().addListener((obs, old, now) -> model.statusProperty().set(
                LogStatus.SUCCESS.wire().equals(now) ? LogStatus.SUCCESS : LogStatus.ERROR.wire().equals(now) ? LogStatus.ERROR : null));
        model.statusProperty().addListener((obs, old, now) -> status.setValue(now == null ? ANY_STATUS : now.wire()));

        TextField function = field("log-filter-function", "Function or action", 120, model.functionProperty());
        TextField user = field("log-filter-user", "User id", 110, model.userProperty());
        TextField text = field("log-filter-text", "Search errors and console output", 190, model.textProperty());

        ComboBox<LogsViewModel.TimeRange> range = new ComboBox<>();
        range.setId("log-filter-range");
        range.getItems().setAll(LogsViewModel.TimeRange.values());
        range.setPrefWidth(140);
        range.valueProperty().bindBidirectional(model.rangeProperty());
        range.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(LogsViewModel.TimeRange r) {
                return r == null ? "" : r.label();
            }

            @Override
            public LogsViewModel.TimeRange fromString(String s) {
                return null;
            }
        });

        CheckBox follow = new CheckBox("Follow");
        follow.setId("log-follow");
        follow.selectedProperty().bindBidirectional(model.followProperty());
        follow.setTooltip(new Tooltip("Keep the newest record in view"));

        Button reset = iconButton(Feather.FILTER, "Show everything (reset the filters)", model::resetFilters);
        Button similar = iconButton(Feather.CROSSHAIR, "Show only records of the selected record's function and user", model::showSimilar);
        similar.disableProperty().bind(model.selectedProperty().isNull());
        Button clear = iconButton(Feather.TRASH_2, "Clear the panel (the stored records stay)", model::clear);
        Button older = iconButton(Feather.CLOCK, "Load older records from the database (earlier runs too)", model::loadOlder);
        older.setId("log-load-older");
        Button export = iconButton(Feather.DOWNLOAD, "Export the records shown as JSON", () -> chooseExportFile.get().ifPresent(model::export));
        export.setId("log-export");

        Label summary = new Label();
        summary.setId("log-summary");
        summary.getStyleClass().add("pane-summary");
        summary.textProperty().bind(model.summaryProperty());
        Label notice = new Label();
        notice.getStyleClass().add("pane-summary");
        notice.textProperty().bind(model.noticeProperty());

        Label title = new Label("LOGS");
        title.getStyleClass().add("pane-title");
        bar = new FlowPane(8, 4, title, type, status, function, user, text, range, follow, reset, similar, older, clear, export, summary, notice);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 6, 4, 6));
        return bar;
    }

    /**
     * Adds a button for the selected record (e.g. "Replay in debugger"), enabled when {@code applies}
     * accepts the selection.
     */
    public Button addRecordAction(String id, String text, Feather icon, java.util.function.Predicate<dev.thimble.runtime.logs.LogRecord> applies,
                                  java.util.function.Consumer<dev.thimble.runtime.logs.LogRecord> action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.getStyleClass().add(Styles.SMALL);
        b.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> !applies.test(logsModel.selectedProperty().get()), logsModel.selectedProperty()));
        b.setOnAction(e -> action.accept(logsModel.selectedProperty().get()));
        bar.getChildren().add(bar.getChildren().size() - 2, b);
        return b;
    }

    private static TextField field(String id, String prompt, double width, javafx.beans.property.StringProperty property) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefWidth(width);
        field.textProperty().bindBidirectional(property);
        field.getStyleClass().add(Styles.SMALL);
        return field;
    }

    private static Button iconButton(Feather icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().addAll("flat", Styles.SMALL);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private static TableColumn<LogRecord, String> column(String title, double width, java.util.function.Function<LogRecord, String> value) {
        TableColumn<LogRecord, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    /** A column that keeps its measured width: the flexible ones (Name, Error) take what the window adds. */
    private static <T> TableColumn<LogRecord, T> fixed(TableColumn<LogRecord, T> c) {
        c.setMinWidth(c.getPrefWidth());
        c.setMaxWidth(c.getPrefWidth() * 1.6);
        return c;
    }

    /** A short, lower-case name of a type for the table ("function", "service", "db trigger"). */
    static String typeLabel(LogType type) {
        return switch (type) {
            case SERVICE_FUNCTION -> "service";
            case STREAM_FUNCTION, SERVICE_STREAM_FUNCTION -> "watch";
            default -> type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    /** What the record is about: the function, the service action on its namespace, the trigger, or the auth provider. */
    static String name(LogRecord r) {
        if (r.functionName() != null) {
            return r.functionName();
        }
        if (r.serviceAction() != null) {
            return r.serviceAction() + (r.namespace() == null ? "" : " " + r.namespace());
        }
        if (r.eventSubscriptionName() != null) {
            return r.eventSubscriptionName();
        }
        String auth = AuthEvents.label(r);
        if (auth != null) {
            return auth;
        }
        if (r.authEvent() != null) {
            return r.authEvent().provider();
        }
        if (r.requestUrl() == null && r.type().name().startsWith("SYNC_") && !r.messages().isEmpty()) {
            return r.messages().getFirst(); // a sync event has no URL: its first line says what happened ("Session started for client file 2 …")
        }
        return r.requestUrl() == null ? "" : r.requestUrl();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public TableView<LogRecord> table() {
        return table;
    }

    public Node node() {
        return root;
    }
}
