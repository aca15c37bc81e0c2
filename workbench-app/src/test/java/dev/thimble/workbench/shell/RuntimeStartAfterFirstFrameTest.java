package dev.thimble.workbench.shell;

import dev.thimble.runtime.apps.ServerControl;
import dev.thimble.testing.Eventually;
import dev.thimble.testing.TestApps;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.concurrent.WorkbenchThreads;
import dev.thimble.workbench.editors.EditorTabsViewModel.CloseDecision;
import dev.thimble.workbench.explorer.ExplorerNode;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.workbench.workspace.SyntaxChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window shows an opened app before its runtime starts (issue 17): the workbench hands the server's start and
 * the validation to after its next frame ({@link MainWindowViewModel#startRuntimeOn}); until then the app is on
 * screen (title, explorer) with the server stopped, and once handed on the server runs and the problems appear.
 */
class RuntimeStartAfterFirstFrameTest {
    @TempDir
    Path temp;
    private final FakeUiThread ui = new FakeUiThread();
    private final WorkbenchThreads threads = new WorkbenchThreads();
    private final SyntaxChecks syntax = new SyntaxChecks();
    private final List<Runnable> held = new ArrayList<>(); // the runtime starts the window would run after its frame
    private MainWindowViewModel window;

    @BeforeEach
    void window() {
        window = ui.call(() -> new MainWindowViewModel(new UiTasks(threads.runtimeWork(), ui), syntax, threads.timer(),
                new ServerControl.ServerSettings("127.0.0.1", 0)));
        ui.run(() -> window.startRuntimeOn(held::add));
    }

    @AfterEach
    void close() {
        ui.call(() -> window.closeApp(e -> CloseDecision.DISCARD)).join();
        syntax.close();
        threads.close();
        ui.close();
    }

    @Test
    void theAppIsShownWithItsServerStoppedUntilTheFrameHasBeenDrawn() throws Exception {
        Path app = TestApps.copyOfTodo(temp);
        assertThat(ui.call(() -> window.open(app, e -> CloseDecision.CANCEL)).get()).isTrue();

        assertThat(ui.call(() -> window.titleProperty().get())).startsWith("todo (todo-thmbl)");
        assertThat(ui.call(() -> window.explorer().rootProperty().get().children())).extracting(ExplorerNode::label).contains("Functions");
        assertThat(ui.call(() -> window.server().stateProperty().get())).isEqualTo(ServerViewModel.State.STOPPED);
        assertThat(ui.call(() -> window.problems().problems())).isEmpty();
        assertThat(ui.call(held::size)).isEqualTo(1);

        ui.run(() -> held.removeFirst().run());
        Eventually.await("the server to run", () -> ui.call(() -> window.server().stateProperty().get()) == ServerViewModel.State.RUNNING);
        Eventually.await("the first validation", () -> ui.call(() -> !window.problems().problems().isEmpty()));
        assertThat(ui.call(() -> window.server().clientAppIdProperty().get())).isEqualTo("todo-thmbl");
    }

    @Test
    void aStartHeldForAnAppThatWasReplacedMeanwhileDoesNothing() throws Exception {
        Path first = TestApps.copyOfTodo(temp.resolve("first"));
        Path second = TestApps.copyOfClinic(temp.resolve("second"));
        assertThat(ui.call(() -> window.open(first, e -> CloseDecision.CANCEL)).get()).isTrue();
        assertThat(ui.call(() -> window.open(second, e -> CloseDecision.CANCEL)).get()).isTrue();
        assertThat(ui.call(held::size)).isEqualTo(2);

        ui.run(() -> held.removeFirst().run()); // the first app's start: that app is closed, nothing starts
        assertThat(ui.call(() -> window.server().stateProperty().get())).isEqualTo(ServerViewModel.State.STOPPED);

        ui.run(() -> held.removeFirst().run());
        Eventually.await("the second app's server to run", () -> ui.call(() -> window.server().stateProperty().get()) == ServerViewModel.State.RUNNING);
        assertThat(ui.call(() -> window.server().clientAppIdProperty().get())).isEqualTo(ui.call(() -> window.modelProperty().get().clientAppId()));
        assertThat(ui.call(() -> window.titleProperty().get())).doesNotStartWith("todo (");
    }
}
