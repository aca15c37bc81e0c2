package dev.thimble.workbench.fx;

import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.ui.VariableNode;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.workbench.Workbench;
import dev.thimble.workbench.editors.EditorViewModel;
import dev.thimble.workbench.editors.code.CodeEditor;
import dev.thimble.workbench.editors.function.FunctionEditorView;
import dev.thimble.workbench.editors.function.FunctionEditorViewModel;
import dev.thimble.workbench.editors.rules.RuleDesignerEditorViewModel;
import dev.thimble.workbench.shell.MainWindowView;
import dev.thimble.workbench.shell.Theme;
import dev.thimble.workbench.testing.ClientCalls;
import dev.thimble.testing.Eventually;
import dev.thimble.runtime.apps.EditableItem;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.thimble.workbench.fx.FxTestSupport.ROBOT;
import static dev.thimble.workbench.fx.FxTestSupport.fx;
import static dev.thimble.workbench.fx.FxTestSupport.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole workbench() window with the debugger: start debugging from the toolbar, set a breakpoint in a
 * function editor's gutter, a real client's {@code functions/call} stops there, the window shows the
 * paused line, the variables and the origin, F8 steps, F9 continues and the client gets its answer;
 * a logged call replays as a dry run; a logged MongoDB request opens in the rule simulator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MainWindowDebuggerFxTest {
    private static final String PATH = "functions/itemsDueSoon/source.js";
    private static final Path SHOTS = Path.of("target/screenshots");
    @RegisterExtension
    static final TodoWindow WINDOW = new TodoWindow();

    private static Workbench workbench() {
        return WINDOW.workbench();
    }

    @Test
    @Order(0)
    void theDebugMenuShowsIntelliJsKeysAndItsStepCommandsWaitForAPause() {
        javafx.scene.control.MenuBar bar = (javafx.scene.control.MenuBar) ROBOT.lookup(".menu-bar").query();
        javafx.scene.control.Menu debug = fx(() -> bar.getMenus().stream().filter(m -> m.getText().equals("Debug")).findFirst().orElseThrow());
        java.util.Map<String, String> keys = fx(() -> {
            java.util.Map<String, String> shown = new java.util.LinkedHashMap<>();
            debug.getItems().stream().filter(i -> i.getAccelerator() != null)
                    .forEach(i -> shown.put(i.getText(), i.getAccelerator().getDisplayText()));
            return shown;
        });
        assertThat(keys).containsEntry("Step Over", "F8").containsEntry("Step Into", "F7").containsEntry("Step Out", "Shift+F8")
                .containsEntry("Resume", "F9").containsEntry("Toggle Breakpoint", "Ctrl+F8").containsEntry("Stop the Function", "Ctrl+F2");
        assertThat(fx(() -> debug.getItems().stream().filter(i -> "Step Over".equals(i.getText())).findFirst().orElseThrow().isDisable())).isTrue();
    }

    @Test
    @Order(1)
    void aGutterBreakpointStopsARealClientCallTheWindowShowsTheLineAndVariablesF8StepsF9Answers() throws Exception {
        ROBOT.clickOn("#toolbar-debug-start");
        Eventually.await(Duration.ofSeconds(30), "debugging to start", () -> fx(() -> workbench().model().debug().onProperty().get()));
        assertThat(fx(() -> workbench().view().selectedDock())).isNotNull();

        FunctionEditorViewModel function = (FunctionEditorViewModel) fx(() ->
                workbench().model().openItem(new EditableItem.Function("itemsDueSoon")).orElseThrow());
        CodeEditor editor = fx(() -> ((FunctionEditorView) workbench().view().tabs().viewFor(function)).codeEditor());
        WaitForAsyncUtils.waitForFxEvents();
        ROBOT.clickOn(gutterOfLine(3));
        Eventually.await("the gutter dot", () -> fx(() -> editor.breakpointLines().contains(3)));
        assertThat(fx(() -> workbench().model().debug().breakpoints().lines())).containsExactly(Breakpoints.Line.at(PATH, 3));

        // another tab in front: the pause must bring the function's tab back
        fxRun(() -> workbench().model().openItem(new EditableItem.Values()));
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.LOGS));

        ClientCalls client = new ClientCalls(fx(() -> workbench().model().server().clientApiUrlProperty().get()));
        client.loginAnonymously();
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return client.call("{\"name\":\"itemsDueSoon\",\"arguments\":[3]}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.await(Duration.ofSeconds(30), "the pause at line 3", () -> fx(() -> editor.executionLineProperty().get() == 3));
        assertThat(fx(() -> workbench().model().tabs().selectedProperty().get())).isSameAs(function);
        assertThat(fx(() -> workbench().view().selectedDock())).isEqualTo(MainWindowView.Dock.DEBUG);
        assertThat(fx(() -> ((Label) ROBOT.lookup("#debugger-status").query()).getText())).isEqualTo("Paused at itemsDueSoon:3 (breakpoint)");
        assertThat(fx(() -> ((Label) ROBOT.lookup("#debugger-origin").query()).getText())).startsWith("SDK call · itemsDueSoon · user ");
        Eventually.await("the variables", () -> fx(() -> variableTexts().stream().anyMatch(t -> t.startsWith("days = 3"))));
        assertThat(answer).isNotDone();
        Eventually.await("the decisions so far", () -> decisionTexts().stream().anyMatch(t -> t.startsWith("No database call yet")));
        assertThat(fx(() -> ((Label) ROBOT.lookup("#debug-decisions-title").query()).getText()))
                .isEqualTo("Rule decisions so far: itemsDueSoon (paused)");
        shoot("workbench-debugger-paused-light");
        fxRun(() -> workbench().model().theme().use(Theme.DARK));
        shoot("workbench-debugger-paused-dark");
        fxRun(() -> workbench().model().theme().use(Theme.LIGHT));

        ROBOT.clickOn(editor.area());
        ROBOT.type(KeyCode.F8);
        Eventually.await("the step to line 4", () -> fx(() -> editor.executionLineProperty().get() == 4));
        assertThat(answer).isNotDone();

        ROBOT.type(KeyCode.F9);
        HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
        Eventually.await("the marker to go", () -> fx(() -> editor.executionLineProperty().get() == 0));
        // the call ended: its record's decisions, the find it made, as a tree in the debugger's view
        Eventually.await(Duration.ofSeconds(30), "the call's decisions", () ->
                decisionTexts().stream().anyMatch(t -> t.startsWith("Call 1: find todo.items — ")));
        assertThat(fx(() -> ((Label) ROBOT.lookup("#debug-decisions-title").query()).getText()))
                .isEqualTo("Rule decisions: itemsDueSoon (ended, success)");
        assertThat(decisionTexts()).anyMatch(t -> t.startsWith("The query: query todo.items — ALLOWED"));
        shoot("workbench-debugger-decisions-light");
        fxRun(() -> workbench().model().theme().use(Theme.DARK));
        shoot("workbench-debugger-decisions-dark");
        fxRun(() -> workbench().model().theme().use(Theme.LIGHT));
    }

    @Test
    @Order(2)
    void theLoggedCallReplaysUnderTheDebuggerWithEditedArgumentsAsADryRun() throws Exception {
        fxRun(() -> workbench().model().debug().toggleBreakpoint(PATH, 3)); // off again: the replay runs through
        LogRecord logged = awaitRecord(r -> "itemsDueSoon".equals(r.functionName()));
        fxRun(() -> workbench().model().logs().selectedProperty().set(logged));
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.LOGS));
        ROBOT.clickOn("#log-replay");
        assertThat(fx(() -> workbench().view().selectedDock())).isEqualTo(MainWindowView.Dock.DEBUG);
        assertThat(fx(() -> workbench().model().debug().replayFunctionProperty().get())).isEqualTo("itemsDueSoon");
        assertThat(fx(() -> workbench().model().debug().replayArgumentsProperty().get())).contains("3");
        assertThat(fx(() -> workbench().model().debug().dryRunProperty().get())).isTrue();

        fxRun(() -> workbench().model().debug().replayArgumentsProperty().set("[30]"));
        ROBOT.clickOn("#replay-run");
        Eventually.await(Duration.ofSeconds(30), "the replay's result", () -> fx(() ->
                workbench().model().debug().replayResultProperty().get()).startsWith("Result:"));
        assertThat(fx(() -> workbench().model().debug().replayResultProperty().get()))
                .contains("Result: []", "Writes it would make (dry run, nothing written): 0");
    }

    @Test
    @Order(3)
    void aLoggedMongoRequestOpensInTheRuleSimulatorWithItsDecision() throws Exception {
        ClientCalls client = new ClientCalls(fx(() -> workbench().model().server().clientApiUrlProperty().get()));
        String user = client.loginAnonymously();
        HttpResponse<String> found = client.call("{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":"
                + "[{\"database\":\"todo\",\"collection\":\"items\",\"query\":{}}]}");
        assertThat(found.statusCode()).isEqualTo(200);
        // this user's find, not another record on todo.items (a trigger's, an earlier test's)
        LogRecord logged = awaitRecord(r -> r.type() == LogType.SERVICE_FUNCTION && "todo.items".equals(r.namespace())
                && "find".equals(r.serviceAction()) && user.equals(r.userId()));
        fxRun(() -> workbench().model().logs().selectedProperty().set(logged));
        fxRun(() -> workbench().view().showDock(MainWindowView.Dock.LOGS));
        ROBOT.clickOn("#log-open-simulator");

        EditorViewModel selected = fx(() -> workbench().model().tabs().selectedProperty().get());
        assertThat(selected).isInstanceOf(RuleDesignerEditorViewModel.class);
        RuleDesignerEditorViewModel rules = (RuleDesignerEditorViewModel) selected;
        Eventually.await(Duration.ofSeconds(30), "the simulator's decision", () -> !fx(() -> rules.simulator().outcomeProperty().get()).isEmpty());
        assertThat(fx(() -> rules.simulator().outcomeProperty().get())).containsAnyOf("ALLOWED", "DENIED");
        var view = (dev.thimble.workbench.editors.rules.RuleDesignerEditorView) fx(() -> workbench().view().tabs().viewFor(rules));
        assertThat(fx(() -> view.pane().tabs().getSelectionModel().getSelectedIndex())).isEqualTo(1);
        shoot("workbench-log-in-simulator");
    }

    @Test
    @Order(4)
    void restartingTheServerFromTheWindowReattachesTheDebuggerAndTheGutterBreakpointStillStops() throws Exception {
        var before = fx(() -> workbench().model().debug().sessionProperty().get());
        fxRun(() -> workbench().model().debug().toggleBreakpoint(PATH, 3));
        fxRun(() -> workbench().model().server().restart());
        Eventually.await(Duration.ofSeconds(30), "the restart", () -> fx(() ->
                workbench().model().server().stateProperty().get()) == dev.thimble.workbench.server.ServerViewModel.State.RUNNING);
        Eventually.await(Duration.ofSeconds(30), "the debugger on the restarted server", () -> fx(() ->
                workbench().model().debug().sessionProperty().get()) != before);

        ClientCalls client = new ClientCalls(fx(() -> workbench().model().server().clientApiUrlProperty().get()));
        client.loginAnonymously();
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return client.call("{\"name\":\"itemsDueSoon\",\"arguments\":[1]}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.await(Duration.ofSeconds(30), "the pause after the restart", () -> fx(() ->
                ((Label) ROBOT.lookup("#debugger-status").query()).getText()).equals("Paused at itemsDueSoon:3 (breakpoint)"));
        ROBOT.type(KeyCode.F9);
        assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    private static LogRecord awaitRecord(java.util.function.Predicate<LogRecord> which) {
        Eventually.await(Duration.ofSeconds(30), "the log record", () -> fx(() -> workbench().model().logs().records().stream().anyMatch(which)));
        return fx(() -> workbench().model().logs().records().stream().filter(which).reduce((a, b) -> b).orElseThrow());
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<String> variableTexts() {
        TreeView<VariableNode> tree = (TreeView<VariableNode>) ROBOT.lookup("#debugger-variables").query();
        return tree.getRoot().getChildren().stream().flatMap(scope -> scope.getChildren().stream())
                .map(item -> item.getValue().text()).toList();
    }

    /** Every line of the debugger's decision tree, depth first. */
    @SuppressWarnings("unchecked")
    private static java.util.List<String> decisionTexts() {
        return fx(() -> {
            TreeView<dev.thimble.workbench.logs.DecisionTree.Node> tree =
                    (TreeView<dev.thimble.workbench.logs.DecisionTree.Node>) ROBOT.lookup("#debug-decision-tree").query();
            java.util.List<String> out = new java.util.ArrayList<>();
            tree.getRoot().getChildren().forEach(item -> out.addAll(item.getValue().flatten().stream().map(String::strip).toList()));
            return out;
        });
    }

    private static Node gutterOfLine(int line) {
        return fx(() -> ROBOT.lookup(".gutter").queryAll().stream()
                .filter(n -> n.lookupAll(".line-number").stream().anyMatch(l -> ((Label) l).getText().equals(String.valueOf(line))))
                .findFirst().orElseThrow());
    }

    private static void shoot(String name) throws IOException {
        FxTestSupport.screenshot(workbench(), name);
    }
}
