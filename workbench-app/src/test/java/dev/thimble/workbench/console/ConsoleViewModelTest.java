package dev.thimble.workbench.console;

import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.FunctionConsole;
import dev.thimble.runtime.apps.ServerControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's state without a window, calling the example app's functions on a real server. */
class ConsoleViewModelTest {
    @TempDir
    static Path temp;
    private static final FakeUiThread ui = new FakeUiThread();
    private static final ExecutorService background = Executors.newSingleThreadExecutor();
    private static AppSession session;
    private static ConsoleViewModel console;

    @BeforeAll
    static void start() throws Exception {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        assertThat(session.startServer().running()).isTrue();
        console = ui.call(() -> new ConsoleViewModel(new UiTasks(background, ui)));
        ui.run(() -> console.attach(session, session.model()));
        ui.call(console::refreshUsers).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        session.close();
        background.shutdownNow();
        ui.close();
    }

    @Test
    void theFunctionsOfTheAppAndTheCallersAreListed() {
        assertThat(ui.call(() -> console.functions())).contains("addItem", "validateItemText", "itemsDueSoon");
        assertThat(ui.call(() -> console.callers().subList(0, 2))).containsExactly(ConsoleViewModel.SYSTEM, ConsoleViewModel.ANONYMOUS);
    }

    @Test
    void aCallShowsItsResultAndGoesToTheTopOfTheHistory() throws Exception {
        ui.run(() -> {
            console.functionProperty().set("validateItemText");
            console.argumentsProperty().set("[\"  eggs \"]");
            console.callAsProperty().set(ConsoleViewModel.SYSTEM);
        });
        ui.call(console::call).get(20, TimeUnit.SECONDS);

        assertThat(ui.call(() -> console.resultProperty().get())).isEqualTo("\"eggs\"");
        assertThat(ui.call(() -> console.errorProperty().get())).isEmpty();
        assertThat(ui.call(() -> console.statusProperty().get())).startsWith("Returned in ");
        assertThat(ui.call(() -> console.history().getFirst().arguments())).isEqualTo("[\"  eggs \"]");
    }

    @Test
    void aFailedCallShowsTheErrorAndARerunWithEditsSucceeds() throws Exception {
        ui.run(() -> {
            console.functionProperty().set("validateItemText");
            console.argumentsProperty().set("[\"\"]");
        });
        ui.call(console::call).get(20, TimeUnit.SECONDS);
        assertThat(ui.call(() -> console.errorProperty().get())).contains("An item needs some text.");
        assertThat(ui.call(() -> console.resultProperty().get())).isEmpty();

        FunctionConsole.Outcome failed = ui.call(() -> console.history().getFirst());
        ui.run(() -> {
            console.argumentsProperty().set("[]");
            console.load(failed);
        });
        assertThat(ui.call(() -> console.argumentsProperty().get())).isEqualTo("[\"\"]");
        ui.run(() -> console.argumentsProperty().set("[\"fixed\"]"));
        ui.call(console::call).get(20, TimeUnit.SECONDS);
        assertThat(ui.call(() -> console.resultProperty().get())).isEqualTo("\"fixed\"");
        assertThat(ui.call(() -> console.errorProperty().get())).isEmpty();
    }

    @Test
    void argumentsThatDoNotParseAreShownAsTheErrorAndNothingIsAddedToTheHistory() throws Exception {
        int before = ui.call(() -> console.history().size());
        ui.run(() -> {
            console.functionProperty().set("validateItemText");
            console.argumentsProperty().set("milk");
        });
        ui.call(console::call).handle((r, e) -> null).get(20, TimeUnit.SECONDS);

        assertThat(ui.call(() -> console.errorProperty().get())).contains("must be an Extended JSON array");
        assertThat(ui.call(() -> console.history().size())).isEqualTo(before);
        assertThat(ui.call(() -> console.runningProperty().get())).isFalse();
    }
}
