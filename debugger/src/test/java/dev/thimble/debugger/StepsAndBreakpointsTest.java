package dev.thimble.debugger;

import dev.thimble.runtime.functions.ExecutionOrigin;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionError;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps through async code over the database, conditional and exception breakpoints, pause, the time limit, detaching. */
class StepsAndBreakpointsTest extends DebugEngineTestBase {
    @Test
    void stepOverWalksThroughAwaitsOnDatabaseCalls() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/saveNote/source.js", 3));
        CompletableFuture<FunctionResult> result = run("saveNote", new org.bson.BsonString("first"));

        List<Integer> lines = new ArrayList<>();
        PauseSnapshot p = pauses.next();
        assertThat(p.stack()).as("an async function is one frame").extracting(FrameSnapshot::label)
                .containsExactly("saveNote (functions/saveNote/source.js:3)");
        lines.add(p.top().line());
        while (lines.size() < 3) {
            pauses.control(p).stepOver();
            p = pauses.next();
            assertThat(p.top().functionName()).isEqualTo("saveNote");
            lines.add(p.top().line());
        }
        assertThat(lines).as("each await resumes on its own line once, not twice").containsExactly(3, 4, 5);
        VariableSnapshot count = p.scopes().getFirst().variables().stream().filter(v -> v.name().equals("count")).findFirst().orElseThrow();
        assertThat(count.display()).isEqualTo(String.valueOf(DebugApp.count(host, "notes")));
        assertThat(p.origin().kind()).isEqualTo(ExecutionOrigin.Kind.CONSOLE);

        pauses.control(p).resume();
        assertThat(result.get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }

    @Test
    void aConditionalBreakpointStopsOnlyWhenItsConditionHolds() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/sum/source.js", 4).withCondition("i === 3"));
        CompletableFuture<FunctionResult> result = run("sum", new BsonInt32(10));

        PauseSnapshot p = pauses.next();
        assertThat(p.scopes().stream().flatMap(s -> s.variables().stream()).filter(v -> v.name().equals("i")))
                .extracting(VariableSnapshot::display).containsExactly("3");
        assertThat(pauses.control(p).evaluate("total", 0).display()).isEqualTo("3");
        pauses.control(p).resume();

        assertThat(pauses.none(500)).as("no other iteration stops").isTrue();
        assertThat(result.get(30, TimeUnit.SECONDS).value()).isEqualTo(new BsonInt32(45));
        assertThat(debugger.hitCount("functions/sum/source.js", 4)).isEqualTo(1);
    }

    @Test
    void aConditionThatCannotBeEvaluatedStopsAndSaysWhy() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/sum/source.js", 4).withCondition("nosuchVariable > 1"));
        CompletableFuture<FunctionResult> result = run("sum", new BsonInt32(3));

        PauseSnapshot p = pauses.next();
        assertThat(p.exception()).startsWith("the breakpoint condition 'nosuchVariable > 1' failed: ").contains("nosuchVariable");
        breakpoints.remove("functions/sum/source.js", 4);
        pauses.control(p).resume();
        assertThat(result.get(30, TimeUnit.SECONDS).value()).isEqualTo(new BsonInt32(3));
    }

    @Test
    void anIgnoreCountPassesThatManyHitsFirst() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/sum/source.js", 4).withIgnoreCount(5));
        CompletableFuture<FunctionResult> result = run("sum", new BsonInt32(10));

        PauseSnapshot p = pauses.next();
        assertThat(pauses.control(p).evaluate("i", 0).display()).isEqualTo("5");
        breakpoints.setEnabled("functions/sum/source.js", 4, false);
        pauses.control(p).resume();

        assertThat(pauses.none(500)).as("disabled while running: no more stops").isTrue();
        assertThat(result.get(30, TimeUnit.SECONDS).value()).isEqualTo(new BsonInt32(45));
    }

    @Test
    void caughtExceptionBreakpointsStopAtTheThrowThatIsCaught() throws Exception {
        breakpoints.breakOnExceptions(true, false);
        CompletableFuture<FunctionResult> result = run("fails", org.bson.BsonBoolean.TRUE);

        PauseSnapshot p = pauses.next();
        assertThat(p.reason()).isEqualTo(PauseReason.EXCEPTION);
        assertThat(p.exception()).contains("caught one");
        assertThat(p.top().line()).isEqualTo(3);
        pauses.control(p).resume();

        FunctionResult done = result.get(30, TimeUnit.SECONDS);
        assertThat(done.error().message()).isEqualTo("not caught");
    }

    @Test
    void uncaughtExceptionBreakpointsStopOnlyAtTheThrowNobodyCatches() throws Exception {
        breakpoints.breakOnExceptions(false, true);
        CompletableFuture<FunctionResult> result = run("fails", org.bson.BsonBoolean.TRUE);

        PauseSnapshot p = pauses.next();
        assertThat(p.reason()).isEqualTo(PauseReason.EXCEPTION);
        assertThat(p.exception()).contains("not caught");
        assertThat(p.top().line()).isEqualTo(5);
        pauses.control(p).resume();

        assertThat(result.get(30, TimeUnit.SECONDS).error().name()).isEqualTo("TypeError");
    }

    @Test
    void breakOnEntryStopsWhenTheChosenFunctionIsCalledFromAnother() throws Exception {
        breakpoints.breakOnEntry("shout", true);
        CompletableFuture<FunctionResult> result = run("greet", new org.bson.BsonString("Eve"));

        PauseSnapshot p = pauses.next();
        assertThat(p.reason()).isEqualTo(PauseReason.ENTRY);
        assertThat(p.stack()).extracting(FrameSnapshot::functionName).containsExactly("shout", "greet");
        pauses.control(p).resume();

        assertThat(pauses.none(300)).isTrue();
        assertThat(result.get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }

    @Test
    void theTimeLimitDoesNotCountWhilePaused() throws Exception {
        // warm the fresh debug Engine first: a cold first call alone can take a second on a busy machine
        assertThat(run("greet", new org.bson.BsonString("warm")).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 2));
        ExecutionRequest request = ExecutionRequest.asUser(Principal.normal("u1")).withTimeLimit(Duration.ofMillis(1500));
        CompletableFuture<FunctionResult> result = run("greet", request, new org.bson.BsonString("Fay"));

        PauseSnapshot p = pauses.next();
        Thread.sleep(3500);
        pauses.control(p).resume();

        FunctionResult done = result.get(30, TimeUnit.SECONDS);
        assertThat(done.error()).as("paused 3.5 s on a 1.5 s limit").isNull();
    }

    @Test
    void aRunningFunctionCanBePausedAndItsTimeLimitStillCountsWhenRunning() throws Exception {
        ExecutionRequest request = ExecutionRequest.asUser(Principal.normal("u1")).withTimeLimit(Duration.ofSeconds(3));
        CompletableFuture<FunctionResult> result = run("spin", request, new BsonInt32(60_000));
        long id = awaitRunning();

        debugger.pause(id);
        PauseSnapshot p = pauses.next();
        assertThat(p.reason()).isEqualTo(PauseReason.PAUSE);
        assertThat(p.top().functionName()).isEqualTo("spin");
        pauses.control(p).resume();

        FunctionResult done = result.get(30, TimeUnit.SECONDS);
        assertThat(done.error().kind()).as("after resuming, the spin runs into its limit").isEqualTo(FunctionError.Kind.TIME_LIMIT);
    }

    @Test
    void stopEndsARunningFunctionThatIsNotPaused() throws Exception {
        CompletableFuture<FunctionResult> result = run("spin", new BsonInt32(60_000));
        long id = awaitRunning();

        debugger.stop(id);

        FunctionResult done = result.get(30, TimeUnit.SECONDS);
        assertThat(done.error().kind()).isEqualTo(FunctionError.Kind.STOPPED);
        assertThat(done.error().message()).isEqualTo("Function spin was stopped in the debugger");
    }

    @Test
    void closingTheDebuggerLetsPausedCallsFinishAndLaterCallsRunUndebugged() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 2));
        org.graalvm.polyglot.Engine debugEngine = engine.graalEngine();
        CompletableFuture<FunctionResult> paused = run("greet", new org.bson.BsonString("Gus"));
        pauses.next();

        debugger.close();

        assertThat(paused.get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(engine.graalEngine()).isNotSameAs(debugEngine).isSameAs(FunctionEngine.sharedGraalEngine());
        assertThat(run("greet", new org.bson.BsonString("Hal")).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(pauses.none(200)).isTrue();
    }

    @Test
    void breakpointsKeepWorkingAfterTheAppIsReloadedWhileDebugging() throws Exception {
        var app = host.app();
        var functions = new ArrayList<dev.thimble.runtime.app.FunctionDef>();
        for (var f : app.functions()) {
            functions.add(f.name().equals("sum") ? new dev.thimble.runtime.app.FunctionDef(f.config(), f.source() + "// edited\n") : f);
        }
        host.reload(new dev.thimble.runtime.app.AppModel(app.metadata(), app.authProviders(), functions, app.services(), app.triggers(),
                app.values(), app.secretNames(), app.environments(), app.endpoints(), app.otherFiles()));
        breakpoints.set(Breakpoints.Line.at("functions/sum/source.js", 6));
        CompletableFuture<FunctionResult> result = run("sum", new BsonInt32(4));

        PauseSnapshot p = pauses.next();
        assertThat(p.top().line()).isEqualTo(6);
        assertThat(pauses.control(p).evaluate("total", 0).display()).isEqualTo("6");
        pauses.control(p).resume();
        assertThat(result.get(30, TimeUnit.SECONDS).value()).isEqualTo(new BsonInt32(6));
    }

    private long awaitRunning() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (!debugger.runningExecutions().isEmpty()) {
                Thread.sleep(200); // let it get into its loop
                return debugger.runningExecutions().getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the function did not start");
    }
}
