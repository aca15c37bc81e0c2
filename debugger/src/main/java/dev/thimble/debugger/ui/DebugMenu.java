package dev.thimble.debugger.ui;

import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCombination;

/** The "Run" menu of the debugger: every command with its key shown, enabled only while a function is paused. */
public final class DebugMenu {
    private DebugMenu() {
    }

    public static Menu create(DebuggerViewModel vm) {
        Menu menu = new Menu("Debug");
        menu.getItems().addAll(
                item("Step Over", DebugKeys.STEP_OVER, vm, vm::stepOver, true),
                item("Step Into", DebugKeys.STEP_INTO, vm, vm::stepInto, true),
                item("Step Out", DebugKeys.STEP_OUT, vm, vm::stepOut, true),
                item("Resume", DebugKeys.RESUME, vm, vm::resume, true),
                item("Stop", DebugKeys.STOP, vm, vm::stop, true),
                item("Toggle Breakpoint", DebugKeys.TOGGLE_BREAKPOINT, vm, vm::toggleBreakpointAtCurrentLine, false));
        return menu;
    }

    private static MenuItem item(String text, KeyCombination key, DebuggerViewModel vm, Runnable action, boolean needsPause) {
        MenuItem item = new MenuItem(text);
        item.setAccelerator(key);
        item.setOnAction(e -> action.run());
        if (needsPause) {
            item.disableProperty().bind(vm.paused().not());
        }
        return item;
    }
}
