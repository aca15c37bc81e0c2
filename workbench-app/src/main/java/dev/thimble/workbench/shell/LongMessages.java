package dev.thimble.workbench.shell;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * Messages that do not fit the status bar (a rename's list of rewritten references, an import's
 * summary, a refusal naming several problems) also show as a notification in the window's corner,
 * which stays long enough to read; short ones stay in the status bar only.
 */
public final class LongMessages {
    /** Longer than this (or more than one line) does not fit the status bar at 1280 pixels. */
    public static final int STATUS_BAR_CHARACTERS = 90;

    private final ReadOnlyStringWrapper lastShown = new ReadOnlyStringWrapper(this, "lastShown", "");

    /** Watches {@code notice} and shows each long message as a notification over {@code anchor}'s window. */
    public LongMessages(Node anchor, ObservableStringValue notice) {
        notice.addListener((obs, old, now) -> {
            if (tooLong(now) && anchor.getScene() != null && anchor.getScene().getWindow() != null
                    && anchor.getScene().getWindow().isShowing()) {
                lastShown.set(now);
                Notifications.create()
                        .owner(anchor.getScene().getWindow())
                        .title(title(now))
                        .text(now)
                        .position(Pos.BOTTOM_RIGHT)
                        .hideAfter(Duration.seconds(Math.min(20, 6 + now.length() / 40.0)))
                        .show();
            }
        });
    }

    static boolean tooLong(String message) {
        return message != null && (message.length() > STATUS_BAR_CHARACTERS || message.contains("\n"));
    }

    private static String title(String message) {
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("fail") || lower.contains("refus") || lower.contains("cannot") || lower.contains("could not")
                ? "Thimble: something went wrong" : "Thimble";
    }

    /** The last message shown as a notification (for tests and screenshots). */
    public ReadOnlyStringProperty lastShownProperty() {
        return lastShown.getReadOnlyProperty();
    }
}
