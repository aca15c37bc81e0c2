package dev.thimble.workbench.testing;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.SaveResult;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.concurrent.WorkbenchThreads;
import dev.thimble.workbench.editors.EditorContext;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.ServerControl;
import dev.thimble.workbench.workspace.SyntaxChecks;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An editor context on a copy of examples/todo, with real background threads, the real syntax checker
 * and a fake UI thread; the server is not started. Collects the save results the window would see.
 */
public final class EditorFixture implements AutoCloseable {
    public final Path appDir;
    public final FakeUiThread ui = new FakeUiThread();
    public final WorkbenchThreads threads = new WorkbenchThreads();
    public final SyntaxChecks syntax = new SyntaxChecks();
    public final AppSession session;
    public final AtomicReference<AppModel> model = new AtomicReference<>();
    public final List<SaveResult> saves = new CopyOnWriteArrayList<>();
    public final EditorContext context;

    public EditorFixture(Path tempDir) {
        this(tempDir, null);
    }

    /** With {@code timer} (e.g. a {@link dev.thimble.testing.ManualScheduler}) for the editors' debounces; null for the real one. */
    public EditorFixture(Path tempDir, java.util.concurrent.ScheduledExecutorService timer) {
        appDir = TestApps.copyOfTodo(tempDir);
        session = AppSession.open(appDir, new ServerControl.ServerSettings("127.0.0.1", 0));
        model.set(session.model());
        UiTasks tasks = new UiTasks(threads.runtimeWork(), ui);
        context = new EditorContext(session, model::get, tasks, syntax, timer != null ? timer : threads.timer(), result -> {
            model.set(result.model());
            saves.add(result);
        });
    }

    @Override
    public void close() {
        session.close();
        syntax.close();
        threads.close();
        ui.close();
    }
}
