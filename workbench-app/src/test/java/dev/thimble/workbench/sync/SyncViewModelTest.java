package dev.thimble.workbench.sync;

import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.ServerControl;
import dev.thimble.runtime.sync.SyncSessions;
import dev.thimble.testing.TestApps;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.testing.FakeUiThread;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The Sync panel's state without a window: what it says with no app, a stopped server and an app without sync. */
class SyncViewModelTest {
    @TempDir
    static Path temp;
    private static final FakeUiThread ui = new FakeUiThread();
    private static final ExecutorService background = Executors.newSingleThreadExecutor();
    private static AppSession session;
    private static final AtomicReference<AppSession> open = new AtomicReference<>();
    private static SyncViewModel sync;

    @BeforeAll
    static void start() {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        sync = ui.call(() -> new SyncViewModel(new UiTasks(background, ui),
                () -> Optional.ofNullable(open.get()).map(s -> s.editor().syncSessions())));
    }

    @AfterAll
    static void stop() {
        session.close();
        background.shutdownNow();
        ui.close();
    }

    @Test
    void withoutAnAppWithAStoppedServerAndWithoutSyncThePanelSaysWhyAndWhatToDo() throws Exception {
        ui.call(sync::refresh).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> sync.emptyTextProperty().get())).isEqualTo("Open an app to see its Device Sync sessions.");

        open.set(session);
        ui.call(sync::refresh).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> sync.summaryProperty().get())).isEqualTo("Not served");
        assertThat(ui.call(() -> sync.emptyTextProperty().get())).contains("start the server");

        assertThat(session.startServer().running()).isTrue();
        ui.call(sync::refresh).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> sync.summaryProperty().get())).isEqualTo("Device Sync is not enabled for this app");
        assertThat(ui.call(() -> sync.emptyTextProperty().get())).contains("sync/config.json").contains("\"type\": \"flexible\"");
        assertThat(ui.call(() -> sync.sessions().isEmpty())).isTrue();
    }

    @Test
    void aPanelOutOfSightIsNotPolledAndRefreshesWhenShownAgain() throws Exception {
        AtomicReference<AppSession> app = new AtomicReference<>();
        SyncViewModel panel = ui.call(() -> new SyncViewModel(new UiTasks(background, ui),
                () -> Optional.ofNullable(app.get()).map(s -> s.editor().syncSessions())));
        ui.run(panel::activate);
        assertThat(ui.call(() -> panel.emptyTextProperty().get())).isEqualTo("Open an app to see its Device Sync sessions.");
        ui.run(() -> panel.showing(false));
        app.set(session);
        ui.run(panel::tick);
        ui.call(() -> null); // whatever the tick handed to the UI thread has run
        background.submit(() -> null).get(10, TimeUnit.SECONDS);
        assertThat(ui.call(() -> panel.emptyTextProperty().get())).as("not polled while out of sight")
                .isEqualTo("Open an app to see its Device Sync sessions.");
        ui.run(() -> panel.showing(true));
        background.submit(() -> null).get(10, TimeUnit.SECONDS);
        dev.thimble.testing.Eventually.await("refreshed once in front", () ->
                !ui.call(() -> panel.emptyTextProperty().get()).startsWith("Open an app"));
    }

    @Test
    void aPanelWithItsOwnThreadRefreshesWhileTheConsolesThreadIsBusy() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService console = Executors.newSingleThreadExecutor();
        try {
            console.execute(() -> {
                try {
                    release.await(); // a long console call
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicReference<String> readOn = new AtomicReference<>();
            SyncViewModel panel = ui.call(() -> SyncViewModel.withOwnThread(new UiTasks(console, ui), () -> {
                return Optional.of(session.editor().syncSessions()).map(sessions -> {
                    readOn.set("asked");
                    return sessions;
                });
            }));
            ui.call(panel::refresh).get(10, TimeUnit.SECONDS);
            assertThat(readOn.get()).isEqualTo("asked");
            assertThat(ui.call(() -> panel.summaryProperty().get())).isNotEmpty();
        } finally {
            release.countDown();
            console.shutdownNow();
        }
    }

    @Test
    void aSessionsSubscriptionsReadAsOneLinePerClassInTheTableAndAsQueriesInTheDetail() {
        SyncSessions.Session s = new SyncSessions.Session("1", "u1", "anon-user", "127.0.0.1", 14, 2, Instant.parse("2026-01-01T10:00:00Z"),
                3, Map.of("Item", "owner_id == \"a\""), 0, null, 1, 1, null, null);
        assertThat(SyncViewModel.subscriptionsSummary(s)).isEqualTo("Item: owner_id == \"a\"");
        assertThat(SyncViewModel.subscriptionsText(s)).isEqualTo("Item: owner_id == \"a\"");
        SyncSessions.Session unidentified = new SyncSessions.Session("2", "u1", "anon-user", null, 14, 0, Instant.now(), 0, Map.of(),
                0, null, 0, 0, null, null);
        assertThat(SyncViewModel.subscriptionsSummary(unidentified)).isEqualTo("\u2014");
        assertThat(SyncViewModel.subscriptionsText(unidentified)).isEqualTo("The client has not identified its file yet.");
        assertThat(SyncViewModel.when(null, Instant.now())).isEqualTo("\u2014");
        assertThat(List.of(SyncViewModel.when(Instant.parse("2020-05-06T07:08:09Z"), Instant.now()))).allSatisfy(t -> assertThat(t).startsWith("2020-05-0"));
    }
}
