package dev.thimble.testing.fx;

import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.MouseButton;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.robot.Motion;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A TestFX robot that finds where to click on the JavaFX thread.
 *
 * <p>TestFX's own {@code clickOn(query)} measures the node from the test thread. When the node's layout
 * is dirty (a text area just cleared, a panel just shown) that measurement lays out text while the
 * JavaFX thread lays out the same text, and JavaFX's text layout is not thread-safe: the suite saw
 * {@code NullPointerException: this.runs is null} from it once in a while. Here the point is computed
 * on the JavaFX thread after pending events ran, then clicked as a plain screen point.
 */
public class FxThreadRobot extends FxRobot {

    @Override
    public FxRobot clickOn(String query, Motion motion, MouseButton... buttons) {
        return clickOn(pointOf(() -> lookup(query).query()), motion, buttons);
    }

    @Override
    public FxRobot clickOn(Node node, Motion motion, MouseButton... buttons) {
        return clickOn(pointOf(() -> node), motion, buttons);
    }

    @Override
    public FxRobot doubleClickOn(String query, Motion motion, MouseButton... buttons) {
        return doubleClickOn(pointOf(() -> lookup(query).query()), motion, buttons);
    }

    @Override
    public FxRobot doubleClickOn(Node node, Motion motion, MouseButton... buttons) {
        return doubleClickOn(pointOf(() -> node), motion, buttons);
    }

    @Override
    public FxRobot rightClickOn(String query, Motion motion) {
        return rightClickOn(pointOf(() -> lookup(query).query()), motion);
    }

    @Override
    public FxRobot rightClickOn(Node node, Motion motion) {
        return rightClickOn(pointOf(() -> node), motion);
    }

    /** The centre of the node's visible part on screen, measured on the JavaFX thread. */
    private static Point2D pointOf(Callable<Node> find) {
        WaitForAsyncUtils.waitForFxEvents();
        try {
            return WaitForAsyncUtils.asyncFx(() -> {
                Node node = find.call();
                if (node == null) {
                    throw new IllegalArgumentException("no node to click");
                }
                Bounds onScreen = node.localToScreen(node.getBoundsInLocal());
                if (onScreen == null) {
                    throw new IllegalStateException("the node to click is not in a showing window: " + node);
                }
                Bounds visible = intersect(onScreen, windowBounds(node.getScene().getWindow()));
                return new Point2D(visible.getMinX() + visible.getWidth() / 2, visible.getMinY() + visible.getHeight() / 2);
            }).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not find where to click", e);
        }
    }

    private static Bounds windowBounds(Window window) {
        return new BoundingBox(window.getX(), window.getY(), window.getWidth(), window.getHeight());
    }

    private static Bounds intersect(Bounds a, Bounds b) {
        double minX = Math.max(a.getMinX(), b.getMinX());
        double minY = Math.max(a.getMinY(), b.getMinY());
        double maxX = Math.min(a.getMaxX(), b.getMaxX());
        double maxY = Math.min(a.getMaxY(), b.getMaxY());
        if (maxX <= minX || maxY <= minY) {
            return a; // not inside its window: click where it is, as TestFX would
        }
        return new BoundingBox(minX, minY, maxX - minX, maxY - minY);
    }
}
