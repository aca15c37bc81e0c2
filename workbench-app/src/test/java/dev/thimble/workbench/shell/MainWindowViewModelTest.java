package dev.thimble.workbench.shell;

import dev.thimble.runtime.app.Problem;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.workbench.concurrent.WorkbenchThreads;
import dev.thimble.workbench.editors.EditorTabsViewModel.CloseDecision;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.explorer.ExplorerNode;
import dev.thimble.workbench.server.ServerViewModel;
import dev.thimble.testing.Eventually;
import dev.thimble.workbench.testing.FakeUiThread;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import dev.thimble.runtime.apps.ServerControl;
import dev.thimble.workbench.workspace.SyntaxChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainWindowViewModelTest {
    @TempDir
    Path temp;
    private final FakeUiThread ui = new FakeUiThread();
    private final WorkbenchThreads threads = new WorkbenchThreads();
    private final SyntaxChecks syntax = new SyntaxChecks();
    private MainWindowViewModel window;
    private Path appDir;

    @BeforeEach
    void openTodo() throws Exception {
        appDir = TestApps.copyOfTodo(temp);
        window = ui.call(() -> new MainWindowViewModel(new UiTasks(threads.runtimeWork(), ui), syntax, threads.timer(),
                new ServerControl.ServerSettings("127.0.0.1", 0)));
        assertThat(ui.call(() -> window.open(appDir, e -> CloseDecision.CANCEL)).get()).isTrue();
        Eventually.await("the server to run", () -> ui.call(() -> window.server().stateProperty().get()) == ServerViewModel.State.RUNNING);
        Eventually.await("the first validation", () -> ui.call(() -> !window.problems().problems().isEmpty()));
    }

    @AfterEach
    void close() {
        ui.call(() -> window.closeApp(e -> CloseDecision.DISCARD)).join();
        syntax.close();
        threads.close();
        ui.close();
    }

    @Test
    void openingAnAppShowsItEverywhere() throws Exception {
        assertThat(ui.call(() -> window.titleProperty().get())).startsWith("todo (todo-thmbl)");
        assertThat(ui.call(() -> window.explorer().rootProperty().get().children())).extracting(ExplorerNode::label).contains("Functions");
        assertThat(ui.call(() -> window.server().clientAppIdProperty().get())).isEqualTo("todo-thmbl");
        assertThat(ui.call(() -> window.server().databaseProperty().get())).contains("embedded");
        String url = ui.call(() -> window.server().clientApiUrlProperty().get());
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/location")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        assertThat(ui.call(() -> window.problems().summaryProperty().get())).matches("0 errors, \\d+ warnings?");
    }

    @Test
    void stopAndStartTheServerFromTheWindow() {
        ui.call(() -> window.server().stop()).join();
        assertThat(ui.call(() -> window.server().stateProperty().get())).isEqualTo(ServerViewModel.State.STOPPED);
        assertThat(ui.call(() -> window.server().clientApiUrlProperty().get())).isEmpty();
        ui.call(() -> window.server().start()).join();
        assertThat(ui.call(() -> window.server().stateProperty().get())).isEqualTo(ServerViewModel.State.RUNNING);
        ui.call(() -> window.server().restart()).join();
        assertThat(ui.call(() -> window.server().stateProperty().get())).isEqualTo(ServerViewModel.State.RUNNING);
        assertThat(ui.call(() -> window.server().clientApiUrlProperty().get())).endsWith("/app/todo-thmbl");
    }

    @Test
    void aSourceProblemOpensTheFunctionAtItsLine() throws Exception {
        Files.writeString(appDir.resolve("functions/itemsDueSoon/source.js"), "exports = function() {\n  return 1 +;\n};\n");
        ui.call(() -> window.closeApp(e -> CloseDecision.DISCARD)).join();
        ui.call(() -> window.open(appDir, e -> CloseDecision.CANCEL)).join();
        Eventually.await("the parse error in the problems", () -> ui.call(() -> window.problems().problems().stream().anyMatch(Problem::isError)));

        Problem error = ui.call(() -> window.problems().problems().getFirst());
        assertThat(error.file()).isEqualTo("functions/itemsDueSoon/source.js");
        ui.run(() -> window.problems().open(error));

        EditorViewModel editor = ui.call(() -> window.tabs().selectedProperty().get());
        assertThat(editor.item()).isEqualTo(new EditableItem.Function("itemsDueSoon"));
        assertThat(ui.call(() -> ((FunctionEditorViewModel) editor).requestedLineProperty().get())).isEqualTo(2);
        assertThat(ui.call(() -> editor.problems().stream().map(Problem::field).toList())).containsExactly("line 2");
    }

    @Test
    void aSaveRefreshesTheProblemsAndTheExplorer() {
        EditorViewModel editor = ui.call(() -> window.openItem(new EditableItem.Function("userIdForEmail")).orElseThrow());
        ui.run(() -> ((FunctionEditorViewModel) editor).privateProperty().set(false));
        assertThat(ui.call(editor::save).join()).isTrue();

        assertThat(ui.call(() -> window.noticeProperty().get())).isEqualTo("Saved functions/userIdForEmail/config.json");
        ExplorerNode functions = ui.call(() -> window.explorer().rootProperty().get().children().get(1));
        assertThat(functions.children()).filteredOn(n -> n.label().equals("userIdForEmail")).extracting(ExplorerNode::hint).containsExactly("system");
    }

    @Test
    void closingTheAppStopsItsServer() {
        String url = ui.call(() -> window.server().clientApiUrlProperty().get());
        assertThat(ui.call(() -> window.closeApp(e -> CloseDecision.DISCARD)).join()).isTrue();
        assertThat(ui.call(() -> window.modelProperty().get())).isNull();
        assertThat(ui.call(() -> window.titleProperty().get())).isEqualTo("Thimble");
        Eventually.await("the server to stop answering", () -> {
            try (HttpClient http = HttpClient.newHttpClient()) {
                http.send(HttpRequest.newBuilder(URI.create(url + "/location")).timeout(java.time.Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return false;
            } catch (Exception refused) {
                return true;
            }
        });
    }

    @Test
    void exportWritesAndSaysWhere() {
        Path out = temp.resolve("exported");
        assertThat(ui.call(() -> window.export(out)).join()).isTrue();
        assertThat(out.resolve("stitch.json")).exists();
        assertThat(ui.call(() -> window.noticeProperty().get())).startsWith("Exported to ");
        assertThat(ui.call(() -> window.export(out)).join()).isFalse();
        assertThat(ui.call(() -> window.noticeProperty().get())).startsWith("Export failed: ").contains("not empty");
    }

    @Test
    void anImportThenAnExportRoundTripsTheApp() throws Exception {
        Path imported = temp.resolve("imported");
        assertThat(ui.call(() -> window.importApp(TestApps.TODO, imported)).get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Eventually.await("the imported app", () -> imported.equals(ui.call(() -> window.appDirectoryProperty().get())));
        Eventually.await("the import's notice", () -> ui.call(() -> window.noticeProperty().get()).startsWith("Imported todo: 0 error(s)"));

        Path zip = temp.resolve("out/todo.zip");
        java.nio.file.Files.createDirectories(zip.getParent());
        assertThat(ui.call(() -> window.export(zip)).get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(ui.call(() -> window.busyProperty().get())).isFalse();

        dev.thimble.runtime.app.AppModel original = dev.thimble.runtime.app.AppBundles.read(TestApps.TODO).app();
        dev.thimble.runtime.app.AppModel back = dev.thimble.runtime.app.AppBundles.readZip(zip).app();
        assertThat(back.functions()).isEqualTo(original.functions());
        assertThat(back.triggers()).isEqualTo(original.triggers());
        assertThat(back.values()).isEqualTo(original.values());
        assertThat(back.clientAppId()).isEqualTo(original.clientAppId());
    }
}
