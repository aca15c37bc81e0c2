package dev.thimble.workbench.dependencies;

import atlantafx.base.theme.Styles;
import dev.thimble.runtime.npm.FunctionDependencies;
import dev.thimble.workbench.shell.DockPanel;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.function.Function;

/** The Dependencies tab of the dock: the app's npm packages, Install with its progress, and what went wrong. */
public final class DependenciesView {
    private final SplitPane root;
    private final TableView<FunctionDependencies.Dependency> table = new TableView<>();

    public DependenciesView(DependenciesViewModel model) {
        table.setId("dependencies-table");
        table.getStyleClass().add(Styles.DENSE);
        table.setItems(model.dependencies());
        Label empty = new Label("No npm packages. Functions can require packages named in functions/package.json (with its lock file).");
        empty.setWrapText(true); // the whole sentence at 1280 px, not "(with its…"
        empty.setPadding(new Insets(0, 12, 0, 12));
        table.setPlaceholder(empty);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<FunctionDependencies.Dependency, String> status = column("Status", 140, d -> statusText(d.status()));
        status.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                FunctionDependencies.Dependency row = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (row == null) {
                    setGraphic(null);
                    return;
                }
                FontIcon icon = new FontIcon(switch (row.status()) {
                    case INSTALLED -> Feather.CHECK;
                    case MISSING -> Feather.DOWNLOAD;
                    case NOT_SERVED -> Feather.SLASH;
                });
                switch (row.status()) {
                    case INSTALLED -> icon.getStyleClass().add("ok-icon");
                    case MISSING -> icon.getStyleClass().add("problem-warning");
                    case NOT_SERVED -> { } // the text's colour: nothing to fix here for serving
                }
                setGraphic(icon);
            }
        });
        table.getColumns().setAll(
                column("Package", 140, FunctionDependencies.Dependency::name),
                column("Wanted", 75, d -> orDash(d.wanted())),
                column("Locked", 70, d -> orDash(d.locked())),
                column("Installed", 75, d -> orDash(d.installed())),
                status,
                why());

        Button install = DockPanel.button("Install", "dependencies-install", Feather.DOWNLOAD, model::install);
        install.getStyleClass().add(Styles.ACCENT);
        install.disableProperty().bind(model.installableProperty().not().or(model.installingProperty()));
        install.setTooltip(new Tooltip("Install the packages the lock file pins from the npm registry (integrity-checked, no scripts run),"
                + " or unpack the node_modules archive; a running server restarts to load them"));
        Button refresh = DockPanel.button("Refresh", "dependencies-refresh", Feather.REFRESH_CW, model::refresh);
        refresh.disableProperty().bind(model.installingProperty());
        ProgressBar bar = new ProgressBar();
        bar.setId("dependencies-progress");
        bar.setPrefWidth(160);
        bar.progressProperty().bind(model.progressProperty());
        bar.visibleProperty().bind(model.installingProperty());
        bar.managedProperty().bind(bar.visibleProperty());
        Label summary = DockPanel.summary("dependencies-summary", model.summaryProperty());

        Label error = new Label();
        error.setId("dependencies-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setGraphic(new FontIcon(Feather.ALERT_OCTAGON));
        error.setWrapText(true);
        // a long registry error wraps onto more lines instead of being cut
        error.setMinHeight(Region.USE_PREF_SIZE);
        error.setMaxWidth(Double.MAX_VALUE);
        error.setPadding(new Insets(0, 6, 4, 6));
        error.textProperty().bind(model.errorProperty());
        error.visibleProperty().bind(model.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        ListView<String> lines = new ListView<>(model.progressLines());
        lines.setId("dependencies-progress-lines");
        lines.getStyleClass().add(Styles.DENSE);
        lines.setPlaceholder(new Label("Install's progress shows here"));
        // follow the newest line while installing
        model.progressLines().addListener((javafx.collections.ListChangeListener<String>) c -> {
            if (!model.progressLines().isEmpty()) {
                lines.scrollTo(model.progressLines().size() - 1);
            }
        });
        root = DockPanel.of("dependencies-panel", java.util.List.of(install, refresh, bar, summary), java.util.List.of(error), table,
                "Install progress", lines, 0.66);
    }

    static String statusText(FunctionDependencies.Status status) {
        return switch (status) {
            case INSTALLED -> "installed";
            case MISSING -> "missing";
            case NOT_SERVED -> "kept, not served";
        };
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "\u2014" : value;
    }

    private static TableColumn<FunctionDependencies.Dependency, String> column(String title, double width,
                                                                               Function<FunctionDependencies.Dependency, String> text) {
        TableColumn<FunctionDependencies.Dependency, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        // the last column takes what is left; these keep their width so versions and statuses stay readable
        column.setMinWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return column;
    }

    /** The reason, with the whole text as a tooltip where the column cuts it. */
    private static TableColumn<FunctionDependencies.Dependency, String> why() {
        TableColumn<FunctionDependencies.Dependency, String> column = column("Why", 200, FunctionDependencies.Dependency::note);
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

    public TableView<FunctionDependencies.Dependency> table() {
        return table;
    }

    public Node node() {
        return root;
    }
}
