package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.testing.Eventually;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.FunctionConsole;
import dev.thimble.runtime.apps.ServerControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The logs panel on a real server: the live feed, and what an earlier run stored, loaded when the panel connects. */
class LogsHistoryTest {
    @TempDir
    Path temp;
    private final FakeUiThread ui = new FakeUiThread();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private AppSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
        background.shutdownNow();
        ui.close();
    }

    @Test
    void theLiveFeedFillsThePanelAndARestartsOlderRecordsLoadFromTheDatabase() throws Exception {
        // An app id of its own: the data folder (and its stored log records) is kept per app id under the
        // test home, so another run's records of the todo app would be "older" ones here.
        Path bundle = TestApps.copyOfTodo(temp);
        String appId = "history-" + java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> String.valueOf((char) ('a' + java.util.concurrent.ThreadLocalRandom.current().nextInt(26))))
                .collect(java.util.stream.Collectors.joining());
        java.nio.file.Files.writeString(bundle.resolve("stitch.json"), java.nio.file.Files.readString(bundle.resolve("stitch.json"))
                .replace("\"todo-thmbl\"", "\"" + appId + "\""));
        session = AppSession.open(bundle, new ServerControl.ServerSettings("127.0.0.1", 0));
        session.startServer();
        LogsViewModel logs = ui.call(() -> new LogsViewModel(new UiTasks(background, ui), Clock.systemUTC()));
        ui.run(() -> logs.connect(session));
        String marker = "history-" + System.nanoTime();
        session.console().call("validateItemText", "[\"" + marker + "\"]", new FunctionConsole.CallAs.System());
        Eventually.await("the live record", () -> ui.call(() -> logs.records().stream().anyMatch(r -> mentions(r, marker))));

        session.restartServer(); // a new run: its memory starts empty, the database keeps the records
        ui.run(logs::clear);
        ui.run(() -> logs.connect(session));
        // the last hours come back from the database by themselves: a restart does not empty the panel
        Eventually.await("the stored record", () -> ui.call(() -> logs.records().stream().anyMatch(r -> mentions(r, marker))));
        assertThat(ui.call(() -> logs.records().stream().filter(r -> mentions(r, marker)).count()))
                .as("the feed's replay and the history do not show a record twice").isEqualTo(1);
        assertThat(ui.call(() -> logs.noticeProperty().get())).startsWith("Loaded ");
        int older = ui.call(logs::loadOlder).get(20, TimeUnit.SECONDS);
        assertThat(older).as("nothing older than the loaded hours is stored").isZero();
    }

    @Test
    void switchingToAnotherAppShowsThatAppsRecordsNotTheLastOnes() throws Exception {
        session = AppSession.open(TestApps.copyOfTodo(temp.resolve("first")), new ServerControl.ServerSettings("127.0.0.1", 0));
        session.startServer();
        LogsViewModel logs = ui.call(() -> new LogsViewModel(new UiTasks(background, ui), Clock.systemUTC()));
        ui.run(() -> logs.connect(session));
        String marker = "first-app-" + System.nanoTime();
        session.console().call("validateItemText", "[\"" + marker + "\"]", new FunctionConsole.CallAs.System());
        Eventually.await("the first app's record", () -> ui.call(() -> logs.records().stream().anyMatch(r -> mentions(r, marker))));

        Path secondDir = TestApps.copyOfTodo(temp.resolve("second"));
        java.nio.file.Files.writeString(secondDir.resolve("stitch.json"), java.nio.file.Files.readString(secondDir.resolve("stitch.json"))
                .replace("\"todo-thmbl\"", "\"other-thmbl\"")); // another app: its own id, its own database
        AppSession second = AppSession.open(secondDir, new ServerControl.ServerSettings("127.0.0.1", 0));
        try {
            second.startServer();
            ui.run(() -> logs.connect(second));
            String other = "second-app-" + System.nanoTime();
            second.console().call("validateItemText", "[\"" + other + "\"]", new FunctionConsole.CallAs.System());
            Eventually.await("the second app's record", () -> ui.call(() -> logs.records().stream().anyMatch(r -> mentions(r, other))));
            assertThat(ui.call(() -> logs.records().stream().noneMatch(r -> mentions(r, marker))))
                    .as("the first app's records are not shown for the second").isTrue();
        } finally {
            second.close();
        }
    }

    private static boolean mentions(LogRecord r, String marker) {
        return r.arguments() != null && r.arguments().toString().contains(marker);
    }
}
