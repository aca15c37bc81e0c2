package dev.thimble.workbench.fx;

import dev.thimble.runtime.npm.FunctionDependencies;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.workbench.Workbench;
import dev.thimble.testing.npm.LoopbackNpmRegistry;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.workbench.shell.Theme;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dependencies dock tab in the real window: opened from View › Dependencies, it lists the app's
 * pinned package as missing (the registry did not have it when the server started), shows a failed
 * install in the panel, then installs from a loopback npm registry and shows it installed.
 */
class DependenciesFxTest {
    @TempDir
    static Path temp;
    private static LoopbackNpmRegistry registry;
    private static Workbench workbench;
    private static byte[] pad;

    @BeforeAll
    static void openTodoWithAPinnedPackage() throws Exception {
        registry = new LoopbackNpmRegistry();
        // this class runs in a JVM of its own: NpmInstaller.standard() reads the registry from here
        System.setProperty("thimble.npm.registry", registry.url());
        Path appDir = TestApps.copyOfTodo(temp);
        pad = LoopbackNpmRegistry.tarball("left-pad", "1.3.0", "module.exports = (s, n) => String(s).padStart(n);");
        // a lock file of its own per run: the module cache is keyed by its hash and outlives the test
        LoopbackNpmRegistry.pin(appDir, "left-pad", "1.3.0", pad, "todo-" + UUID.randomUUID());
        java.nio.file.Files.createDirectories(appDir.resolve("functions/padText"));
        java.nio.file.Files.writeString(appDir.resolve("functions/padText/config.json"),
                "{\"id\": \"65a0000000000000000000f1\", \"name\": \"padText\", \"private\": false}");
        java.nio.file.Files.writeString(appDir.resolve("functions/padText/source.js"),
                "exports = function(text) { return require('left-pad')(text, 6); };");
        workbench = FxTestSupport.start(FxTestSupport.testOptions(appDir));
        fxRun(() -> workbench.model().theme().use(Theme.LIGHT));
    }

    @AfterAll
    static void quit() throws Exception {
        FxTestSupport.quit(workbench);
        registry.close();
        System.clearProperty("thimble.npm.registry");
    }

    @Test
    void theViewListsThePackageShowsAFailedInstallThenInstallsItFromTheRegistry() throws Exception {
        MenuBar bar = fx(() -> (MenuBar) ROBOT.lookup(".menu-bar").query());
        MenuItem item = fx(() -> bar.getMenus().stream().filter(m -> m.getText().equals("View")).findFirst().orElseThrow()
                .getItems().stream().filter(i -> "menu-dependencies".equals(i.getId())).findFirst().orElseThrow());
        fxRun(item::fire);
        assertThat(fx(() -> ((TabPane) ROBOT.lookup("#dock").query()).getSelectionModel().getSelectedItem().getText())).isEqualTo("Dependencies");

        Eventually.await("left-pad listed as missing", () -> "missing".equals(statusCell("left-pad")));
        assertThat(fx(() -> ROBOT.lookup("#dependencies-summary").queryAs(Label.class).getText()))
                .isEqualTo("0 installed, 1 missing, 1 not served \u2014 from functions/package-lock.json");
        assertThat(statusCell("jest")).isEqualTo("kept, not served");

        ROBOT.clickOn("#dependencies-install");
        Eventually.await("the failure shown in the panel", () -> fx(() -> ROBOT.lookup("#dependencies-error").queryAs(Label.class).isVisible()));
        assertThat(fx(() -> ROBOT.lookup("#dependencies-error").queryAs(Label.class).getText()))
                .startsWith("The install failed: fetching left-pad@1.3.0").endsWith("answered HTTP 404");
        FxTestSupport.screenshot(workbench, "dependencies-failed-1280x800-light");

        registry.publish("left-pad", "1.3.0", pad);
        Eventually.await("Install enabled again", () -> fx(() -> !ROBOT.lookup("#dependencies-install").queryAs(Button.class).isDisabled()));
        ROBOT.clickOn("#dependencies-install");
        Eventually.await(Duration.ofSeconds(60), "left-pad shown as installed", () -> "installed".equals(statusCell("left-pad")));
        assertThat(fx(() -> workbench.model().dependencies().dependencies().getFirst()))
                .extracting(FunctionDependencies.Dependency::installed).isEqualTo("1.3.0");
        assertThat(fx(() -> ROBOT.lookup("#dependencies-error").queryAs(Label.class).isVisible())).isFalse();
        assertThat(fx(() -> ROBOT.lookup("#dependencies-install").queryAs(Button.class).isDisabled())).as("nothing left to install").isTrue();
        assertThat(fx(() -> ROBOT.lookup("#dependencies-summary").queryAs(Label.class).getText())).startsWith("1 installed, 0 missing");
        Eventually.await(Duration.ofSeconds(120), "the server restarted to load the packages", () ->
                fx(() -> workbench.model().server().stateProperty().get()) == ServerViewModel.State.RUNNING);
        FxTestSupport.screenshot(workbench, "dependencies-1280x800-light");

        // the restarted server's functions load what was installed
        fxRun(() -> {
            workbench.model().console().snippetProperty().set(false);
            workbench.model().console().functionProperty().set("padText");
            workbench.model().console().argumentsProperty().set("[\"ab\"]");
        });
        String result = Eventually.awaitValue(Duration.ofSeconds(60), "padText's result", () -> {
            var outcome = fx(() -> workbench.model().console().call());
            try {
                outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                return null;
            }
            String text = fx(() -> workbench.model().console().resultProperty().get());
            return text.contains("ab") ? text : null;
        });
        assertThat(result).contains("\"    ab\"");
    }

    /** The Status cell's text in the row of {@code name}, as drawn. */
    private static String statusCell(String name) {
        return fx(() -> ROBOT.lookup("#dependencies-table .table-cell").queryAll().stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && c.getTableColumn().getText().equals("Status") && c.getTableRow() != null
                        && c.getTableRow().getItem() instanceof FunctionDependencies.Dependency d && d.name().equals(name))
                .map(c -> c.getText()).findFirst().orElse(null));
    }
}
