package dev.thimble.debugger.ui;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/** The debugger's keys, following IntelliJ IDEA's default keymap, shown in menus and tooltips. */
public final class DebugKeys {
    public static final KeyCombination STEP_OVER = new KeyCodeCombination(KeyCode.F8);
    public static final KeyCombination STEP_INTO = new KeyCodeCombination(KeyCode.F7);
    public static final KeyCombination STEP_OUT = new KeyCodeCombination(KeyCode.F8, KeyCombination.SHIFT_DOWN);
    public static final KeyCombination RESUME = new KeyCodeCombination(KeyCode.F9);
    public static final KeyCombination TOGGLE_BREAKPOINT = new KeyCodeCombination(KeyCode.F8, KeyCombination.SHORTCUT_DOWN);
    public static final KeyCombination STOP = new KeyCodeCombination(KeyCode.F2, KeyCombination.SHORTCUT_DOWN);

    private DebugKeys() {
    }
}
