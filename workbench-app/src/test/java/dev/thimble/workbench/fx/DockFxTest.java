package dev.thimble.workbench.fx;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.workbench.testing.ClientCalls;
import dev.thimble.testing.Eventually;
import dev.thimble.workbench.testing.LogRecords;
import dev.thimble.runtime.apps.DataBrowser;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/** The bottom dock in the real window, headless: the logs panel, the console and the data browser. */
class DockFxTest {
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    private static void show(MainWindowView.Dock dock) {
        fxRun(() -> workbench().view().showDock(dock));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aRealClientRequestAppearsInTheLogsPanelWithItsRuleDecision() throws Exception {
        show(MainWindowView.Dock.LOGS);
        ClientCalls client = new ClientCalls(fx(() -> workbench().model().server().clientApiUrlProperty().get()));
        String user = client.loginAnonymously();
        assertThat(client.call("{\"service\": \"mongodb-atlas\", \"name\": \"find\", \"arguments\": "
                + "[{\"database\": \"todo\", \"collection\": \"items\", \"query\": {}}]}").statusCode()).isEqualTo(200);

        Eventually.await("the find in the logs panel", () -> fx(() -> workbench().model().logs().shown().stream()
                .anyMatch(r -> r.type() == LogType.SERVICE_FUNCTION && user.equals(r.userId()))));
        fxRun(() -> workbench().model().logs().userProperty().set(user));
        fxRun(() -> workbench().model().logs().typeProperty().set(LogType.SERVICE_FUNCTION));
        WaitForAsyncUtils.waitForFxEvents();
        ROBOT.clickOn(firstRow("#log-table"));
        WaitForAsyncUtils.waitForFxEvents();

        String detail = fx(() -> ROBOT.lookup("#log-detail").queryAs(TextArea.class).getText());
        assertThat(detail).contains("SERVICE_FUNCTION  success").contains("User        " + user)
                .contains("Service     mongodb-atlas find").contains("Rule decision");
        fxRun(() -> workbench().model().logs().resetFilters());
    }

    @Test
    void aFindFromTheRealmWebSdkAppearsInTheLogsPanelWithItsRuleDecision() throws Exception {
        show(MainWindowView.Dock.LOGS);
        Path clients = Path.of("..", "test-clients").toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(clients.resolve("node_modules/realm-web"))) {
            throw new AssertionError("The SDK test clients are not installed: run `npm ci` in " + clients);
        }
        String baseUrl = fx(() -> workbench().model().server().baseUrlProperty().get());
        ProcessBuilder node = new ProcessBuilder("node", "workbench/logs-find.mjs").directory(clients.toFile()).redirectErrorStream(true);
        node.environment().put("THIMBLE_BASE_URL", baseUrl);
        node.environment().put("THIMBLE_APP_ID", "todo-thmbl");
        Process process = node.start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.waitFor()).as(output).isZero();
        String user = output.lines().reduce((a, b) -> b).orElseThrow();

        Eventually.await("the SDK's find in the logs panel", () -> fx(() -> workbench().model().logs().shown().stream()
                .anyMatch(r -> r.type() == LogType.SERVICE_FUNCTION && user.equals(r.userId()) && r.decision() != null)));
        LogRecord find = fx(() -> workbench().model().logs().shown().stream()
                .filter(r -> r.type() == LogType.SERVICE_FUNCTION && user.equals(r.userId())).findFirst().orElseThrow());
        fxRun(() -> workbench().model().logs().selectedProperty().set(find));
        assertThat(fx(() -> ROBOT.lookup("#log-detail").queryAs(TextArea.class).getText()))
                .contains("Service     mongodb-atlas find").contains("Namespace   todo.items").contains("Rule decision");
        fxRun(() -> workbench().model().logs().selectedProperty().set(null));
    }

    @Test
    void aFullPanelOfRecordsIsVirtualizedFilteredByTypingAndShowsTheirDetail() {
        show(MainWindowView.Dock.LOGS);
        int n = dev.thimble.workbench.logs.LogsViewModel.MAX_RECORDS;
        List<LogRecord> records = LogRecords.many(n, Instant.now(), 20);
        fxRun(() -> workbench().model().logs().append(records));
        TableView<?> table = fx(() -> ROBOT.lookup("#log-table").queryAs(TableView.class));
        assertThat(fx(() -> table.getItems().size())).isGreaterThanOrEqualTo(n * 8 / 10);

        fxRun(() -> table.scrollTo(n / 2));
        WaitForAsyncUtils.waitForFxEvents();
        long rows = fx(() -> table.lookupAll(".table-row-cell").size());
        assertThat(rows).as("rows built for a full panel (virtualized)").isLessThan(100);

        ROBOT.clickOn("#log-filter-text").write("boom " + (n - 1000));
        Eventually.await("the filter to narrow to one record", () -> fx(() -> table.getItems().size()) == 1);
        ROBOT.clickOn(firstRow("#log-table"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> ROBOT.lookup("#log-detail").queryAs(TextArea.class).getText()))
                .contains("Error (FunctionExecutionError)").contains("Error: boom " + (dev.thimble.workbench.logs.LogsViewModel.MAX_RECORDS - 1000)).contains("Function    checkout");
        assertThat(fx(() -> ROBOT.lookup("#log-summary").queryAs(Label.class).getText())).startsWith("1 of ");

        fxRun(() -> workbench().model().logs().clear());
        fxRun(() -> workbench().model().logs().resetFilters());
    }

    @Test
    void theConsoleCallsAFunctionOfTheExampleAppAndShowsTheResult() {
        show(MainWindowView.Dock.CONSOLE);
        fxRun(() -> workbench().model().console().functionProperty().set("validateItemText"));
        fxRun(() -> ROBOT.lookup("#console-arguments").queryAs(TextArea.class).clear());
        ROBOT.clickOn("#console-arguments").write("[\" milk \"]");
        ROBOT.clickOn("#console-run");

        Eventually.await("the result", () -> !fx(() -> ROBOT.lookup("#console-result").queryAs(TextArea.class).getText()).isEmpty());
        assertThat(fx(() -> ROBOT.lookup("#console-result").queryAs(TextArea.class).getText())).isEqualTo("\"milk\"");
        assertThat(fx(() -> ROBOT.lookup("#console-status").queryAs(Label.class).getText())).startsWith("Returned in ");

        // the error of a bad call shows beside the output; Ctrl+Enter runs again
        fxRun(() -> ROBOT.lookup("#console-arguments").queryAs(TextArea.class).setText("[\"\"]"));
        ROBOT.clickOn("#console-arguments").press(KeyCode.CONTROL).press(KeyCode.ENTER).release(KeyCode.ENTER).release(KeyCode.CONTROL);
        Eventually.await("the error", () -> fx(() -> ROBOT.lookup("#console-error").queryAs(TextArea.class).getText()).contains("An item needs some text."));
        assertThat(fx(() -> workbench().model().console().history().size())).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theDataBrowserInsertsEditsAndDeletesADocument() throws Exception {
        show(MainWindowView.Dock.DATA);
        String db = "dock_test_" + System.nanoTime();
        fxRun(() -> workbench().model().data().collectionProperty().set(new DataBrowser.CollectionInfo(db, "notes", 0, List.of())));
        ROBOT.clickOn("#data-new");
        fxRun(() -> ROBOT.lookup("#data-document").queryAs(TextArea.class).setText("{\"text\": \"from the browser\"}"));
        ROBOT.clickOn("#data-insert");
        Eventually.await("the inserted document in the table", () -> fx(() -> workbench().model().data().documents().size()) == 1);

        ROBOT.clickOn(firstRow("#data-table"));
        WaitForAsyncUtils.waitForFxEvents();
        TextArea editor = fx(() -> ROBOT.lookup("#data-document").queryAs(TextArea.class));
        assertThat(fx(() -> editor.getText())).contains("\"text\": \"from the browser\"");
        fxRun(() -> editor.setText(editor.getText().replace("from the browser", "edited")));
        ROBOT.clickOn("#data-save");
        Eventually.await("the edit in the table", () -> fx(() -> workbench().model().data().documents().stream()
                .map(BsonDocument::toJson).toList()).toString().contains("edited"));

        ROBOT.clickOn("#data-delete");
        WaitForAsyncUtils.waitForFxEvents();
        Button confirm = fx(() -> ROBOT.lookup(".dialog-pane .button").queryAllAs(Button.class).stream()
                .filter(b -> "Delete".equals(b.getText())).findFirst().orElseThrow());
        ROBOT.clickOn(confirm);
        Eventually.await("the table to be empty", () -> fx(() -> workbench().model().data().documents().isEmpty()));
        Eventually.await("the delete's notice", () -> fx(() -> ROBOT.lookup("#data-notice").queryAs(Label.class).getText()).startsWith("Deleted "));
    }

    @Test
    void theStatusBarShowsRequestsPerSecond() {
        assertThat(fx(() -> ROBOT.lookup("#requests-per-second").queryAs(Label.class).getText())).endsWith(" req/s");
        assertThat(fx(() -> ROBOT.lookup("#requests-per-second").queryAs(Label.class).isVisible())).isTrue();
    }

    private static TableRow<?> firstRow(String table) {
        Eventually.await("a row in " + table, () -> fx(() -> ROBOT.lookup(table).queryAs(TableView.class).lookupAll(".table-row-cell").stream()
                .anyMatch(n -> ((TableRow<?>) n).getItem() != null && ((TableRow<?>) n).getIndex() == 0)));
        return fx(() -> ROBOT.lookup(table).queryAs(TableView.class).lookupAll(".table-row-cell").stream()
                .map(n -> (TableRow<?>) n).filter(r -> r.getItem() != null && r.getIndex() == 0)
                .findFirst().orElseThrow(() -> new AssertionError("no row in " + table)));
    }
}
