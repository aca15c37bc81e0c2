package dev.thimble.workbench.fx;

import dev.thimble.testing.TestApps;
import dev.thimble.workbench.Workbench;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The window tests' shared start-up: before the class, the real workbench on a fresh copy of
 * examples/todo (server on a free port, waited for up to 120 s); after it, quit as the close button
 * does and remove the copy. Register it as a static field:
 * {@code @RegisterExtension static final TodoWindow WINDOW = new TodoWindow();}.
 */
public final class TodoWindow implements BeforeAllCallback, AfterAllCallback {
    private Path temp;
    private Path appDir;
    private Workbench workbench;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        temp = Files.createTempDirectory("thimble-window-test");
        appDir = TestApps.copyOfTodo(temp);
        workbench = FxTestSupport.start(FxTestSupport.testOptions(appDir));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            FxTestSupport.quit(workbench);
        } finally {
            workbench = null;
            delete(temp);
        }
    }

    /** The window's workbench (between beforeAll and afterAll). */
    public Workbench workbench() {
        return workbench;
    }

    /** The app bundle the window opened (the copy of examples/todo). */
    public Path appDir() {
        return appDir;
    }

    /** A folder of the test's own beside the app, for what a test creates (new apps, exports). */
    public Path temp() {
        return temp;
    }

    private static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
