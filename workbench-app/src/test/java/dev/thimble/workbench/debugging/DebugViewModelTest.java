package dev.thimble.workbench.debugging;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.ui.DebuggerViewModel;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.testing.ClientCalls;
import dev.thimble.testing.Eventually;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.testing.TestApps;
import dev.thimble.workbench.workspace.AppDebugging;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.ServerControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's debugging state without a window, on the example app's real server and real client calls. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebugViewModelTest {
    private static final String PATH = "functions/itemsDueSoon/source.js";
    @TempDir
    static Path temp;
    private static final FakeUiThread ui = new FakeUiThread();
    private static final ExecutorService background = Executors.newSingleThreadExecutor();
    private static final ExecutorService queries = Executors.newCachedThreadPool();
    private static final List<DebuggerViewModel.Location> opened = new CopyOnWriteArrayList<>();
    private static AppSession session;
    private static DebugViewModel debug;

    @BeforeAll
    static void start() {
        session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0));
        assertThat(session.startServer().running()).isTrue();
        debug = ui.call(() -> new DebugViewModel(new UiTasks(background, ui), queries));
        ui.run(() -> {
            debug.attach(new AppDebugging(session::host, new Breakpoints()));
            debug.onPause(opened::add);
        });
    }

    @AfterAll
    static void stop() {
        ui.run(debug::detach);
        session.close();
        background.shutdownNow();
        queries.shutdownNow();
        ui.close();
    }

    @Test
    @Order(1)
    void aBreakpointSetBeforeStartingPausesARealCallAndOpensItsLineAndResumeAnswersTheClient() throws Exception {
        ui.run(() -> debug.toggleBreakpoint(PATH, 3));
        ui.call(debug::start).get(30, TimeUnit.SECONDS);
        assertThat(ui.call(() -> debug.onProperty().get())).isTrue();
        assertThat(ui.call(() -> debug.sessionProperty().get())).isNotNull();

        CompletableFuture<HttpResponse<String>> answer = callItemsDueSoon();
        Eventually.await(Duration.ofSeconds(30), "the pause", () -> ui.call(() -> debug.pausedProperty().get()));
        assertThat(ui.call(() -> debug.currentLineProperty().get())).isEqualTo(new DebuggerViewModel.Location(PATH, 3));
        assertThat(opened).contains(new DebuggerViewModel.Location(PATH, 3));
        assertThat(answer).isNotDone();

        ui.run(debug::resume);
        assertThat(answer.get(30, TimeUnit.SECONDS).body()).isEqualTo("[]");
        Eventually.await("the pause to end", () -> !ui.call(() -> debug.pausedProperty().get()));
        assertThat(ui.call(() -> debug.currentLineProperty().get())).isNull();
    }

    @Test
    @Order(3)
    void afterAServerRestartTheDebuggerFollowsTheNewServerAndItsBreakpointsStillStopCalls() throws Exception {
        DebuggerViewModel before = ui.call(() -> debug.sessionProperty().get());
        session.restartServer();
        ui.run(debug::serverRunning);
        Eventually.await(Duration.ofSeconds(30), "a new debugger session", () -> ui.call(() -> debug.sessionProperty().get()) != before);
        assertThat(ui.call(() -> debug.onProperty().get())).isTrue();

        CompletableFuture<HttpResponse<String>> answer = callItemsDueSoon();
        Eventually.await(Duration.ofSeconds(30), "the pause on the restarted server", () -> ui.call(() -> debug.pausedProperty().get()));
        ui.run(debug::resume);
        assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void savingAFunctionWhileDebuggingKeepsTheSessionAndTheEditedSourceStopsAtItsBreakpoint() throws Exception {
        DebuggerViewModel before = ui.call(() -> debug.sessionProperty().get());
        session.save(app -> {
            var old = app.function("itemsDueSoon").orElseThrow();
            return dev.thimble.runtime.apps.ModelEdits.withFunction(app,
                    new dev.thimble.runtime.app.FunctionDef(old.config(), old.source() + "\n// edited while debugging\n"));
        });
        CompletableFuture<HttpResponse<String>> answer = callItemsDueSoon();
        Eventually.await(Duration.ofSeconds(30), "the pause in the saved source", () -> ui.call(() -> debug.pausedProperty().get()));
        assertThat(ui.call(() -> debug.sessionProperty().get())).isSameAs(before);
        ui.run(debug::resume);
        assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aLoggedCallReplaysWithEditedArgumentsAsADryRunAndAnUnreadableArgumentListChangesNothing() throws Exception {
        ui.run(() -> debug.toggleBreakpoint(PATH, 3));
        LogRecord logged = session.olderLogs(java.time.Instant.now().plusSeconds(60), 100).stream()
                .filter(r -> "itemsDueSoon".equals(r.functionName())).findFirst().orElseThrow();
        ui.run(() -> debug.prepareReplay(logged));
        assertThat(ui.call(() -> debug.replayFunctionProperty().get())).isEqualTo("itemsDueSoon");
        assertThat(ui.call(() -> debug.replayUserProperty().get())).isEqualTo(logged.userId());
        assertThat(ui.call(() -> debug.dryRunProperty().get())).isTrue();

        ui.run(() -> debug.replayArgumentsProperty().set("[3"));
        assertThat(ui.call(debug::runReplay)).isCompletedExceptionally();
        assertThat(ui.call(() -> debug.replayResultProperty().get())).contains("the replay's arguments");

        ui.run(() -> debug.replayArgumentsProperty().set("[30]"));
        ui.call(debug::runReplay).get(30, TimeUnit.SECONDS);
        Eventually.await("the replay's result", () -> ui.call(() -> debug.replayResultProperty().get()).startsWith("Result:"));
        assertThat(ui.call(() -> debug.replayResultProperty().get())).isEqualTo("Result: []\nWrites it would make (dry run, nothing written): 0");
    }

    @Test
    @Order(5)
    void aLoggedTriggerRunReplaysItsChangeEventAsATriggerAndReportsTheWriteItWouldMake() throws Exception {
        ClientCalls client = new ClientCalls(session.host().orElseThrow().clientApiUrl());
        client.loginAnonymously();
        assertThat(client.call("{\"name\":\"addItem\",\"arguments\":[{\"$oid\":\"65b000000000000000000001\"},\"milk\"]}").statusCode())
                .isEqualTo(200);
        Eventually.await(Duration.ofSeconds(30), "the trigger's log record", () -> triggerRecord() != null);
        LogRecord run = triggerRecord();
        ui.run(() -> debug.prepareReplay(run));
        assertThat(ui.call(() -> debug.replayFunctionProperty().get())).isEqualTo("onItemInserted");
        assertThat(ui.call(() -> debug.replayArgumentsProperty().get())).contains("fullDocument", "milk");

        ui.call(debug::runReplay).get(30, TimeUnit.SECONDS);
        Eventually.await("the replay's result", () -> ui.call(() -> debug.replayResultProperty().get()).startsWith("Result:"));
        assertThat(ui.call(() -> debug.replayResultProperty().get()))
                .contains("Writes it would make (dry run, nothing written): 1", "updateOne", "todo.lists");
    }

    private static LogRecord triggerRecord() {
        return session.olderLogs(java.time.Instant.now().plusSeconds(60), 100).stream()
                .filter(r -> r.type() == dev.thimble.runtime.logs.LogType.DB_TRIGGER && "onItemInserted".equals(r.functionName()))
                // this test's run: other test classes' runs stay in the shared test database
                .filter(r -> r.arguments() != null && new org.bson.BsonDocument("a", r.arguments()).toJson().contains("\"milk\""))
                .findFirst().orElse(null);
    }

    @Test
    @Order(6)
    void stopTurnsDebuggingOffAndCallsRunThroughTheBreakpoint() throws Exception {
        ui.run(() -> debug.toggleBreakpoint(PATH, 3));
        ui.call(debug::stop).get(30, TimeUnit.SECONDS);
        assertThat(ui.call(() -> debug.onProperty().get())).isFalse();
        assertThat(ui.call(() -> debug.sessionProperty().get())).isNull();
        assertThat(callItemsDueSoon().get(30, TimeUnit.SECONDS).body()).isEqualTo("[]");
        assertThat(ui.call(() -> debug.breakpoints().lines())).containsExactly(Breakpoints.Line.at(PATH, 3));
    }

    private static CompletableFuture<HttpResponse<String>> callItemsDueSoon() throws Exception {
        ClientCalls client = new ClientCalls(session.host().orElseThrow().clientApiUrl());
        client.loginAnonymously();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.call("{\"name\":\"itemsDueSoon\",\"arguments\":[3]}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
