package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.WorkbenchOptions;
import dev.thimble.workbench.editors.EditorTabsViewModel;
import dev.thimble.workbench.explorer.ExplorerNode;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.testing.Eventually;
import dev.thimble.runtime.apps.ServerControl;
import javafx.scene.Node;
import javafx.scene.control.TreeCell;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Shared by the headless TestFX tests: starts the toolkit once per JVM (Surefire forks one per test
 * class), shows the real workbench on the primary stage, and runs code on the JavaFX thread.
 */
public final class FxTestSupport {
    public static final FxRobot ROBOT = new dev.thimble.testing.fx.FxThreadRobot();

    private FxTestSupport() {
    }

    /** Shows the workbench on {@code appDir} (server on a free port) and waits until it serves and has validated. */
    public static Workbench start(WorkbenchOptions options) throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        Workbench workbench = fx(() -> Workbench.show(stage, options));
        Eventually.await(Duration.ofSeconds(120), "the server to run", () ->
                fx(() -> workbench.model().server().stateProperty().get()) == ServerViewModel.State.RUNNING);
        Eventually.await(Duration.ofSeconds(120), "the first validation", () ->
                fx(() -> !workbench.model().problems().summaryProperty().get().startsWith("Not validated")));
        WaitForAsyncUtils.waitForFxEvents();
        return workbench;
    }

    public static WorkbenchOptions testOptions(Path appDir) {
        return WorkbenchOptions.defaults(appDir)
                .withServer(new ServerControl.ServerSettings("127.0.0.1", 0))
                .withExitOnClose(false)
                .withStateFile(null);
    }

    /** Quits the way the window's close button does, and waits until the server stopped. */
    public static void quit(Workbench workbench) throws Exception {
        if (workbench == null) {
            return;
        }
        // unsaved test edits are dropped here: the real question is a modal dialog
        fx(() -> workbench.model().tabs().closeAll(editor -> EditorTabsViewModel.CloseDecision.DISCARD)).get(30, TimeUnit.SECONDS);
        fx(workbench::quit).get(30, TimeUnit.SECONDS);
        workbench.stopped().get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Runs {@code action} on the JavaFX thread and returns its result. */
    public static <T> T fx(Callable<T> action) {
        try {
            // generous: on a shared, loaded machine one software-rendered pulse can take many seconds
            return WaitForAsyncUtils.asyncFx(action).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the JavaFX action failed", e);
        }
    }

    public static void fxRun(Runnable action) {
        fx(() -> {
            action.run();
            return null;
        });
    }

    /** The explorer row showing {@code label}. */
    @SuppressWarnings("unchecked")
    public static Node explorerRow(String label) {
        return ROBOT.lookup(".tree-cell").queryAll().stream()
                .filter(node -> node instanceof TreeCell<?> cell && cell.getItem() instanceof ExplorerNode row && row.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no explorer row " + label));
    }

    /**
     * Selects {@code node}'s row and asks for its context menu the way a right-click does (Monocle's
     * headless robot presses the secondary button but sends no context-menu request).
     */
    public static void openContextMenu(Node node) {
        ROBOT.clickOn(node);
        fxRun(() -> {
            javafx.geometry.Bounds b = node.localToScreen(node.getBoundsInLocal());
            javafx.geometry.Bounds local = node.getBoundsInLocal();
            javafx.event.Event.fireEvent(node, new javafx.scene.input.ContextMenuEvent(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    local.getCenterX(), local.getCenterY(), b.getCenterX(), b.getCenterY(), false, null));
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Where every UI test writes its screenshots. */
    public static final Path SCREENSHOTS = Path.of("target/screenshots");

    /** Lays out {@code scene}, snapshots it and writes target/screenshots/{@code name}.png (without javafx-swing). */
    public static Path screenshot(javafx.scene.Scene scene, String name) throws java.io.IOException {
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.WritableImage image = fx(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            return scene.snapshot(null);
        });
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        javafx.scene.image.PixelReader pixels = image.getPixelReader();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            pixels.getPixels(0, y, width, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, width);
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        Path file = java.nio.file.Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
        javax.imageio.ImageIO.write(out, "png", file.toFile());
        return file;
    }

    /** The window of {@code shown} as target/screenshots/{@code name}.png. */
    public static Path screenshot(Workbench shown, String name) throws java.io.IOException {
        return screenshot(shown.stage().getScene(), name);
    }
}
