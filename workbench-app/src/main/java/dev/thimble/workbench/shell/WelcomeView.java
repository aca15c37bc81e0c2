package dev.thimble.workbench.shell;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.nio.file.Path;
import java.util.function.Consumer;

/** What the window shows with no app open: open, create from the template, import, and the recent apps. */
public final class WelcomeView {
    private final VBox root = new VBox(14);

    /** The welcome view's actions (dialogs first, then the view-model). */
    public interface Actions {
        void openApp();

        void createFromTemplate();

        void importApp();
    }

    public WelcomeView(MainWindowViewModel model, Actions actions, boolean templateAvailable) {
        root.setId("welcome");
        root.getStyleClass().add("welcome");
        root.setAlignment(Pos.TOP_CENTER);
        root.setPadding(new Insets(60, 40, 40, 40));
        Label title = new Label("Thimble");
        title.getStyleClass().add(Styles.TITLE_1);
        Label subtitle = new Label("Stitch-style apps on your own machine: functions, rules, triggers, logs.");
        subtitle.getStyleClass().add("pane-summary");

        Button open = button("Open an app...", Feather.FOLDER, "welcome-open", actions::openApp);
        Button create = button("Create from the to-do template...", Feather.FILE_PLUS, "welcome-create", actions::createFromTemplate);
        create.setDisable(!templateAvailable);
        Button importing = button("Import an exported app...", Feather.DOWNLOAD, "welcome-import", actions::importApp);
        VBox buttons = new VBox(8, open, create, importing);
        buttons.setAlignment(Pos.CENTER);
        buttons.setMaxWidth(380);

        Label recentTitle = new Label("RECENT");
        recentTitle.getStyleClass().add("pane-title");
        VBox recent = new VBox(2);
        recent.setAlignment(Pos.CENTER);
        Runnable fill = () -> {
            recent.getChildren().clear();
            for (Path app : model.recentApps()) {
                Hyperlink link = new Hyperlink(app.getFileName() + "   " + app);
                link.setOnAction(e -> openRecent(model, app));
                recent.getChildren().add(link);
            }
            if (model.recentApps().isEmpty()) {
                recent.getChildren().add(new Label("No recent apps yet."));
            }
        };
        fill.run();
        model.recentApps().addListener((javafx.collections.ListChangeListener<Path>) change -> fill.run());
        root.getChildren().addAll(title, subtitle, buttons, recentTitle, recent);
        root.visibleProperty().bind(model.modelProperty().isNull().and(model.busyProperty().not()));
    }

    private static void openRecent(MainWindowViewModel model, Path app) {
        model.open(app, editor -> dev.thimble.workbench.editors.EditorTabsViewModel.CloseDecision.CANCEL);
    }

    private static Button button(String text, Feather icon, String id, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setMaxWidth(Double.MAX_VALUE);
        b.setOnAction(e -> action.run());
        return b;
    }

    public Node node() {
        return root;
    }
}
