package dev.thimble.workbench.shell;

import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.layout.StackPane;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A dock tab whose panel is built the first time the tab is selected (or the panel is asked for), not
 * with the window: the first frame then needs only the shell, and a panel the user never opens costs
 * neither its classes, its CSS pass nor its memory (decision 0023). Until then the tab holds an empty
 * pane. On the JavaFX thread only.
 *
 * @param <P> the panel's view class
 */
final class LazyDockTab<P> {
    private final Tab tab;
    private final Supplier<P> make;
    private final Function<P, Node> nodeOf;
    private P panel;

    LazyDockTab(Tab tab, Supplier<P> make, Function<P, Node> nodeOf) {
        this.tab = tab;
        this.make = make;
        this.nodeOf = nodeOf;
        tab.setContent(new StackPane());
        tab.selectedProperty().addListener((obs, was, now) -> {
            if (now) {
                panel();
            }
        });
        if (tab.isSelected()) {
            panel();
        }
    }

    /** The panel, built now if this is the first time it is needed. */
    P panel() {
        if (panel == null) {
            panel = make.get();
            tab.setContent(nodeOf.apply(panel));
        }
        return panel;
    }

    /** Whether the panel has been built. */
    boolean built() {
        return panel != null;
    }

    Tab tab() {
        return tab;
    }
}
