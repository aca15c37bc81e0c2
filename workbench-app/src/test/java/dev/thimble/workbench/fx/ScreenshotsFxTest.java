package dev.thimble.workbench.fx;

import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.shell.Theme;
import dev.thimble.workbench.testing.Eventually;
import dev.thimble.workbench.testing.TestApps;
import dev.thimble.workbench.workspace.EditableItem;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the screenshots of the workbench (target/screenshots/*.png): the main window with a function
 * open, and the function editor showing a parse error, each in the light and the dark theme.
 */
class ScreenshotsFxTest {
    private static final Path SHOTS = Path.of("target/screenshots");
    @TempDir
    static Path temp;
    private static Workbench workbench;

    @BeforeAll
    static void openTodo() throws Exception {
        workbench = FxTestSupport.start(FxTestSupport.testOptions(TestApps.copyOfTodo(temp)));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void quit() throws Exception {
        FxTestSupport.quit(workbench);
    }

    @Test
    void mainWindowWithAFunctionOpen() throws IOException {
        fxRun(() -> workbench.model().openItem(new EditableItem.Function("addItem")));
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench.model().theme().use(theme));
            assertThat(shoot("main-window-" + name(theme))).exists();
        }
    }

    @Test
    void functionEditorShowingAParseError() throws IOException {
        EditorViewModel editor = fx(() -> workbench.model().openItem(new EditableItem.Function("validateItemText")).orElseThrow());
        FunctionEditorView view = (FunctionEditorView) fx(() -> workbench.view().tabs().viewFor(editor));
        fxRun(() -> ((FunctionEditorViewModel) editor).sourceProperty().set(
                ((FunctionEditorViewModel) editor).sourceProperty().get().replaceFirst("const clean = ", "const clean = = ")));
        Eventually.await("the parse error", () -> fx(() -> view.codeEditor().markedRange()).isPresent());
        for (Theme theme : Theme.values()) {
            fxRun(() -> workbench.model().theme().use(theme));
            assertThat(shoot("function-parse-error-" + name(theme))).exists();
        }
    }

    private static String name(Theme theme) {
        return theme.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Path shoot(String name) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage image = fx(() -> {
            workbench.stage().getScene().getRoot().applyCss();
            workbench.stage().getScene().getRoot().layout();
            return workbench.stage().getScene().snapshot(null);
        });
        Path file = SHOTS.resolve(name + ".png");
        ImageIO.write(toBufferedImage(image), "png", file.toFile());
        return file;
    }

    /** PixelReader to AWT without javafx-swing: the pixels as ARGB ints. */
    private static BufferedImage toBufferedImage(WritableImage image) {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            pixels.getPixels(0, y, width, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, width);
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }
}
