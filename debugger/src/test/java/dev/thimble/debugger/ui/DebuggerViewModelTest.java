package dev.thimble.debugger.ui;

import dev.thimble.testing.Eventually;
import dev.thimble.debugger.Breakpoints;
import dev.thimble.debugger.FrameSnapshot;
import dev.thimble.debugger.FunctionDebugger;
import dev.thimble.debugger.TestHosts;
import dev.thimble.runtime.AppHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The debugger panels' view-model, driven by a real SDK call, without a window. */
class DebuggerViewModelTest {
    @TempDir
    static Path tmp;
    static AppHost host;
    static TestHosts.Login login;

    /** Stands in for the JavaFX thread: one thread, all view-model state touched only there. */
    final ExecutorService ui = Executors.newSingleThreadExecutor();
    final ExecutorService background = Executors.newCachedThreadPool();
    FunctionDebugger debugger;
    DebuggerViewModel vm;

    @BeforeAll
    static void startHost() throws Exception {
        host = TestHosts.start(tmp);
        login = TestHosts.login(host);
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @BeforeEach
    void attach() {
        debugger = FunctionDebugger.attach(host.services().functions(), new Breakpoints());
        vm = new DebuggerViewModel(debugger, ui, background);
    }

    @AfterEach
    void detach() {
        debugger.close();
        ui.shutdown();
        background.shutdown();
    }

    @Test
    void aBreakpointHitShowsTheLineStackOriginAndVariablesThenStepsAndContinues() throws Exception {
        onUi(() -> {
            vm.toggleBreakpoint("functions/greet/source.js", 3);
            return null;
        });
        waitFor(() -> onUi(() -> vm.breakpoints().size() == 1));

        CompletableFuture<HttpResponse<String>> response = TestHosts.call(host, login, "greet", "[\"Jo\"]");
        waitFor(() -> onUi(() -> vm.paused().get()));

        assertThat(onUi(() -> vm.status().get())).isEqualTo("Paused at greet:3 (breakpoint)");
        assertThat(onUi(() -> vm.currentLine().get())).isEqualTo(new DebuggerViewModel.Location("functions/greet/source.js", 3));
        assertThat(onUi(() -> vm.frames().stream().map(FrameSnapshot::label).toList()))
                .containsExactly("greet (functions/greet/source.js:3)");
        assertThat(onUi(() -> vm.origin().get())).startsWith("SDK call · greet · user " + login.userId());

        VariableNode local = onUi(() -> vm.scopes().getFirst());
        assertThat(local.isScope()).isTrue();
        List<VariableNode> locals = children(local);
        assertThat(locals).extracting(VariableNode::text).contains("name = \"Jo\" (string)", "greeting = \"Hello, Jo\" (string)");
        VariableNode context = onUi(() -> vm.scopes().stream()).flatMap(s -> children(s).stream())
                .filter(n -> n.value().name().equals("context")).findFirst().orElseThrow();
        assertThat(children(context)).extracting(n -> n.value().name()).contains("user", "functions");

        onUi(() -> {
            vm.addWatch("greeting + '!'");
            return null;
        });
        waitFor(() -> onUi(() -> vm.watches().size() == 1 && vm.watches().getFirst().value() != null));
        assertThat(onUi(() -> vm.watches().getFirst().display())).isEqualTo("\"Hello, Jo!\"");

        onUi(() -> {
            vm.evaluate("name.length");
            return null;
        });
        waitFor(() -> onUi(() -> vm.console().size() == 2));
        assertThat(onUi(() -> List.copyOf(vm.console()))).containsExactly("> name.length", "2");

        onUi(() -> {
            vm.stepOver();
            return null;
        });
        waitFor(() -> onUi(() -> "Paused at greet:4 (step)".equals(vm.status().get())));
        assertThat(onUi(() -> vm.watches().getFirst().display())).as("watches re-evaluated at the new line").isEqualTo("\"Hello, Jo!\"");

        onUi(() -> {
            vm.resume();
            return null;
        });
        assertThat(response.get(30, TimeUnit.SECONDS).body()).contains("HELLO, JO!");
        waitFor(() -> onUi(() -> !vm.paused().get()));
        assertThat(onUi(() -> vm.currentLine().get())).isNull();
    }

    private List<VariableNode> children(VariableNode node) {
        CompletableFuture<List<VariableNode>> result = new CompletableFuture<>();
        ui.execute(() -> node.children(result::complete));
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private <T> T onUi(Callable<T> read) {
        try {
            return ui.submit(read).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Eventually.await(java.time.Duration.ofSeconds(30), "the condition", condition);
    }
}
