package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.WorkbenchOptions;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.workbench.workspace.WorkbenchState;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static org.assertj.core.api.Assertions.assertThat;

/** The window with no app: the welcome view, creating an app from the template, and what it remembers for the next start. */
class WelcomeFxTest {
    @TempDir
    static Path temp;
    private static Path stateFile;
    private static Workbench workbench;

    @BeforeAll
    static void startEmpty() throws Exception {
        stateFile = temp.resolve("home/workbench/state.json");
        Stage stage = FxToolkit.registerPrimaryStage();
        WorkbenchOptions options = FxTestSupport.testOptions(null).withStateFile(stateFile);
        workbench = fx(() -> Workbench.show(stage, options));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterAll
    static void quit() throws Exception {
        if (workbench.stopped().isDone()) {
            return;
        }
        FxTestSupport.quit(workbench);
    }

    @Test
    void theWelcomeViewShowsUntilAnAppFromTheTemplateOpensAndTheNextStartRestoresItsTabs() throws Exception {
        Node welcome = fx(() -> ROBOT.lookup("#welcome").query());
        assertThat(fx(welcome::isVisible)).isTrue();
        Files.createDirectories(Path.of("target/screenshots"));
        FxTestSupport.screenshot(workbench, "welcome-light");

        Path created = temp.resolve("apps/groceries");
        assertThat(fx(() -> workbench.model().createFromTemplate(TestApps.TODO, created)).get(60, TimeUnit.SECONDS)).isTrue();
        Eventually.await(Duration.ofSeconds(30), "the server", () ->
                fx(() -> workbench.model().server().stateProperty().get()) == ServerViewModel.State.RUNNING);
        assertThat(fx(welcome::isVisible)).isFalse();
        assertThat(fx(() -> workbench.stage().getTitle())).startsWith("groceries (groceries-");
        FxTestSupport.fxRun(() -> workbench.model().openItem(new EditableItem.Function("itemsDueSoon")));

        fx(workbench::quit).get(30, TimeUnit.SECONDS); // as the close button does: the tabs are remembered
        workbench.stopped().get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        WorkbenchState remembered = WorkbenchState.load(stateFile);
        assertThat(remembered.recentApps()).containsExactly(created.toAbsolutePath().normalize().toString());
        assertThat(remembered.openTabsOf(created)).containsExactly("functions/itemsDueSoon/source.js");

        // a new window on the same state file opens the app with its tab
        Stage stage = FxToolkit.registerPrimaryStage();
        WorkbenchOptions again = FxTestSupport.testOptions(created).withStateFile(stateFile);
        workbench = fx(() -> Workbench.show(stage, again));
        Eventually.await(Duration.ofSeconds(30), "the server", () ->
                fx(() -> workbench.model().server().stateProperty().get()) == ServerViewModel.State.RUNNING);
        assertThat(fx(() -> workbench.model().tabs().editors().stream().map(e -> e.item()).toList()))
                .isEqualTo(List.of(new EditableItem.Function("itemsDueSoon")));
    }
}
