package dev.thimble.ruledesigner.ui;

import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** For the headless TestFX tests: run on the JavaFX thread, and render a scene to target/screenshots/NAME.png. */
final class FxSupport {
    static final FxRobot ROBOT = new dev.thimble.testing.fx.FxThreadRobot();
    static final Path SHOTS = Path.of("target/screenshots");

    private FxSupport() {
    }

    static <T> T fx(Callable<T> action) {
        try {
            return WaitForAsyncUtils.asyncFx(action).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the JavaFX action failed", e);
        }
    }

    static void fxRun(Runnable action) {
        fx(() -> {
            action.run();
            return null;
        });
    }

    static Path shoot(Scene scene, String name) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        Files.createDirectories(SHOTS);
        WritableImage image = fx(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            return scene.snapshot(null);
        });
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            pixels.getPixels(0, y, width, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, width);
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        Path file = SHOTS.resolve(name + ".png");
        ImageIO.write(out, "png", file.toFile());
        return file;
    }
}
