package dev.thimble.workbench.shell;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** The chosen theme; the window applies it (remembering it between runs is not built yet). */
public final class ThemeViewModel {
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme", Theme.LIGHT);

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public void use(Theme chosen) {
        theme.set(chosen);
    }

    public void toggle() {
        theme.set(theme.get() == Theme.LIGHT ? Theme.DARK : Theme.LIGHT);
    }
}
