package dev.thimble.workbench.triggers;

import atlantafx.base.theme.Styles;
import dev.thimble.runtime.apps.ScheduledRuns;
import dev.thimble.workbench.shell.DockPanel;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The Schedule tab of the dock: next runs per scheduled trigger, run now, and the workbench's clock. */
public final class ScheduleView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private final SplitPane root;
    private final TableView<ScheduledRuns.Upcoming> table = new TableView<>();

    public ScheduleView(ScheduleViewModel model) {
        table.setId("schedule-table");
        table.getStyleClass().add(Styles.DENSE);
        table.setItems(model.upcoming());
        table.setPlaceholder(new Label("No scheduled triggers. Add one with File \u203a New \u203a Trigger... (type Scheduled)."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(
                column("Trigger", 130, u -> u.trigger() + (u.disabled() ? " (disabled)" : "")),
                column("Function", 120, ScheduledRuns.Upcoming::function),
                column("Schedule", 90, ScheduledRuns.Upcoming::schedule),
                column("Next runs (UTC)", 300, u -> u.problem() != null ? u.problem()
                        : u.next().stream().map(SHORT::format).collect(Collectors.joining(",  "))));

        Label clock = new Label();
        clock.setId("schedule-clock");
        clock.getStyleClass().add(Styles.TEXT_BOLD);
        clock.textProperty().bind(model.clockProperty().map(t -> "Workbench clock: " + TIME.format(t)));
        Button hour = DockPanel.button("+1 hour", "schedule-advance-hour", Feather.FAST_FORWARD, () -> model.advance(Duration.ofHours(1)));
        Button day = DockPanel.button("+1 day", "schedule-advance-day", Feather.FAST_FORWARD, () -> model.advance(Duration.ofDays(1)));
        Button reset = DockPanel.button("Now", "schedule-reset", Feather.CLOCK, model::resetClock);
        Button runNow = DockPanel.button("Run now", "schedule-run-now", Feather.PLAY,
                () -> model.runNow(table.getSelectionModel().getSelectedItem() == null ? null : table.getSelectionModel().getSelectedItem().trigger()));
        runNow.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        runNow.setTooltip(new Tooltip("Run the selected trigger's function once now, as an occurrence would"));
        hour.setTooltip(new Tooltip("Move the workbench's clock forward: every occurrence on the way runs, in order"));
        Label status = DockPanel.summary("schedule-status", model.statusProperty());

        ListView<ScheduledRuns.Occurrence> fired = new ListView<>(model.fired());
        fired.setId("schedule-fired");
        fired.getStyleClass().add(Styles.DENSE);
        fired.setPlaceholder(new Label("Move the clock to see which triggers fire"));
        fired.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(ScheduledRuns.Occurrence item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setText(TIME.format(item.at()) + "  " + item.trigger() + " \u2192 " + item.function()
                        + (item.error() == null ? "" : "  failed: " + item.error()));
                FontIcon icon = new FontIcon(item.error() == null ? Feather.CHECK : Feather.X);
                icon.getStyleClass().add(item.error() == null ? "ok-icon" : "error-icon");
                setGraphic(icon);
            }
        });
        root = DockPanel.of("schedule-panel", java.util.List.of(clock, hour, day, reset, runNow, status), java.util.List.of(), table,
                "Fired while the clock moved", fired, 0.68);
    }

    private static TableColumn<ScheduledRuns.Upcoming, String> column(String title, double width,
                                                                      Function<ScheduledRuns.Upcoming, String> text) {
        TableColumn<ScheduledRuns.Upcoming, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return column;
    }

    public TableView<ScheduledRuns.Upcoming> table() {
        return table;
    }

    public Node node() {
        return root;
    }

    @SuppressWarnings("unused")
    private static String format(Instant at) {
        return TIME.format(at);
    }
}
