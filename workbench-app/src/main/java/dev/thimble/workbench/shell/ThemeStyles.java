package dev.thimble.workbench.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * Applies a theme: AtlantaFX Primer as the user-agent stylesheet (for every window), and a style
 * class on the scene's root that the workbench's own stylesheet keys its code colours on.
 */
public final class ThemeStyles {
    public static final String WORKBENCH_CSS = "/dev/thimble/workbench/workbench.css";
    static final String DARK_CLASS = "theme-dark";
    static final String LIGHT_CLASS = "theme-light";

    private ThemeStyles() {
    }

    public static void install(Scene scene, ThemeViewModel theme) {
        scene.getStylesheets().add(ThemeStyles.class.getResource(WORKBENCH_CSS).toExternalForm());
        apply(scene, theme.themeProperty().get());
        theme.themeProperty().addListener((obs, old, now) -> apply(scene, now));
    }

    /**
     * Makes {@code theme}'s stylesheet the user-agent stylesheet. Called before the first control is made,
     * this also spares the start-up JavaFX's parse of its default stylesheet (Modena), which a control's
     * class loads otherwise and the theme then replaces. Does nothing when {@code theme}'s is already set.
     */
    public static void useUserAgentStylesheet(Theme theme) {
        String sheet = theme == Theme.DARK ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet();
        if (!sheet.equals(Application.getUserAgentStylesheet())) {
            Application.setUserAgentStylesheet(sheet);
        }
    }

    static void apply(Scene scene, Theme theme) {
        useUserAgentStylesheet(theme);
        var classes = scene.getRoot().getStyleClass();
        classes.removeAll(DARK_CLASS, LIGHT_CLASS);
        classes.add(theme == Theme.DARK ? DARK_CLASS : LIGHT_CLASS);
    }
}
