package dev.thimble.debugger;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.functions.ExecutionOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Breakpoints hit by real client calls over HTTP; the client gets its answer after the developer continues. */
class SdkBreakpointTest {
    @TempDir
    static Path tmp;
    static AppHost host;
    static DebugApp.Login login;

    Breakpoints breakpoints;
    FunctionDebugger debugger;
    Pauses pauses;

    @BeforeAll
    static void startHost() throws Exception {
        host = DebugApp.start(tmp);
        login = DebugApp.login(host);
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @BeforeEach
    void attach() {
        breakpoints = new Breakpoints();
        debugger = FunctionDebugger.attach(host.services().functions(), breakpoints);
        pauses = new Pauses(debugger);
    }

    @AfterEach
    void detach() {
        debugger.close();
    }

    @Test
    void aBreakpointHoldsTheSdkRequestUntilContinue() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 3));

        CompletableFuture<HttpResponse<String>> response = DebugApp.call(host, login, "greet", "[\"Ada\"]");
        PauseSnapshot paused = pauses.next();

        assertThat(paused.reason()).isEqualTo(PauseReason.BREAKPOINT);
        assertThat(paused.top()).isEqualTo(new FrameSnapshot(0, "greet", "greet", "functions/greet/source.js", 3, 3));
        assertThat(paused.origin().kind()).isEqualTo(ExecutionOrigin.Kind.SDK_CALL);
        assertThat(paused.userId()).isEqualTo(login.userId());
        assertThat(response).as("the client waits while the function is paused").isNotDone();
        Thread.sleep(300);
        assertThat(response).isNotDone();

        pauses.control(paused).resume();

        HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"shout\": \"HELLO, ADA!\"");
    }

    @Test
    void stepIntoANestedFunctionShowsBothFramesByName() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 3));
        CompletableFuture<HttpResponse<String>> response = DebugApp.call(host, login, "greet", "[\"Bo\"]");
        PauseSnapshot atCall = pauses.next();

        pauses.control(atCall).stepInto();
        PauseSnapshot inside = pauses.next();

        assertThat(inside.reason()).isEqualTo(PauseReason.STEP);
        assertThat(inside.stack()).extracting(FrameSnapshot::functionName, FrameSnapshot::path, FrameSnapshot::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("shout", "functions/shout/source.js", 2),
                        org.assertj.core.groups.Tuple.tuple("greet", "functions/greet/source.js", 3));

        pauses.control(inside).stepOver();
        PauseSnapshot next = pauses.next();
        assertThat(next.top().line()).isEqualTo(3);
        assertThat(next.top().functionName()).isEqualTo("shout");

        pauses.control(next).stepOut();
        PauseSnapshot back = pauses.next();
        assertThat(back.top().functionName()).isEqualTo("greet");
        assertThat(back.stack()).hasSize(1);

        pauses.control(back).resume();
        assertThat(response.get(30, TimeUnit.SECONDS).body()).contains("HELLO, BO!");
    }

    @Test
    void variablesShowLocalsArgumentsAndAnExpandableContext() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 4));
        debugger.addWatch("greeting.length");
        debugger.addWatch("nosuch + 1");
        CompletableFuture<HttpResponse<String>> response = DebugApp.call(host, login, "greet", "[\"Cy\"]");
        PauseSnapshot paused = pauses.next();
        PausedExecution control = pauses.control(paused);

        ScopeSnapshot local = paused.scopes().getFirst();
        assertThat(local.variables()).extracting(VariableSnapshot::name, VariableSnapshot::display)
                .contains(org.assertj.core.groups.Tuple.tuple("name", "\"Cy\""),
                        org.assertj.core.groups.Tuple.tuple("greeting", "\"Hello, Cy\""),
                        org.assertj.core.groups.Tuple.tuple("shout", "\"HELLO, CY!\""));
        assertThat(paused.watches()).extracting(EvaluationResult::display).first().isEqualTo("9");
        assertThat(paused.watches().get(1).failed()).isTrue();
        assertThat(paused.watches().get(1).error()).contains("nosuch");

        VariableSnapshot context = paused.scopes().stream().flatMap(s -> s.variables().stream())
                .filter(v -> v.name().equals("context")).findFirst().orElseThrow();
        assertThat(context.expandable()).isTrue();
        List<VariableSnapshot> members = control.children(context.ref());
        assertThat(members).extracting(VariableSnapshot::name).contains("user", "functions", "services");
        VariableSnapshot user = members.stream().filter(v -> v.name().equals("user")).findFirst().orElseThrow();
        assertThat(control.children(user.ref())).extracting(VariableSnapshot::name, VariableSnapshot::display)
                .contains(org.assertj.core.groups.Tuple.tuple("id", "\"" + login.userId() + "\""));

        assertThat(control.evaluate("name + '?'", 0).display()).isEqualTo("\"Cy?\"");

        control.resume();
        assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void twoPausedRequestsAreControlledOneByOne() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/shout/source.js", 2));
        CompletableFuture<HttpResponse<String>> first = DebugApp.call(host, login, "shout", "[\"one\"]");
        CompletableFuture<HttpResponse<String>> second = DebugApp.call(host, login, "shout", "[\"two\"]");
        PauseSnapshot a = pauses.next();
        PauseSnapshot b = pauses.next();
        assertThat(a.executionId()).isNotEqualTo(b.executionId());
        assertThat(debugger.pausedExecutions()).hasSize(2);

        PauseSnapshot two = pauses.control(a).evaluate("text", 0).display().equals("\"two\"") ? a : b;
        PauseSnapshot one = two == a ? b : a;
        pauses.control(two).resume();
        assertThat(second.get(30, TimeUnit.SECONDS).body()).isEqualTo("\"TWO!\"");
        assertThat(first).as("the other request still waits").isNotDone();
        pauses.control(one).resume();
        assertThat(first.get(30, TimeUnit.SECONDS).body()).isEqualTo("\"ONE!\"");
    }

    @Test
    void aFunctionARuleCallsStopsWithTheRuleAsItsOrigin() throws Exception {
        host.database().database("dbg").getCollection("guarded").insertOne(new org.bson.Document("_id", "g1"));
        breakpoints.set(Breakpoints.Line.at("functions/mayRead/source.js", 2));

        CompletableFuture<HttpResponse<String>> response = DebugApp.find(host, login, "guarded");
        PauseSnapshot p = pauses.next();

        assertThat(p.origin().kind()).isEqualTo(ExecutionOrigin.Kind.RULE);
        assertThat(p.origin().summary()).contains("%function mayRead").contains(login.userId());
        assertThat(pauses.control(p).evaluate("userId", 0).display()).isEqualTo("\"" + login.userId() + "\"");
        breakpoints.remove("functions/mayRead/source.js", 2);
        pauses.control(p).resume();

        HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("g1");
    }

    @Test
    void anIncomingWebhookStopsInItsSourceWithItsPayloadAsOrigin() throws Exception {
        String path = Breakpoints.Line.webhookPath("inbox", "note");
        breakpoints.set(Breakpoints.Line.at(path, 3));

        CompletableFuture<HttpResponse<String>> response = DebugApp.HTTP.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(host.clientApiUrl() + "/service/inbox/incoming_webhook/note"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"hooked\"}")).build(), HttpResponse.BodyHandlers.ofString());
        PauseSnapshot p = pauses.next();

        assertThat(p.origin().kind()).isEqualTo(ExecutionOrigin.Kind.WEBHOOK);
        assertThat(p.origin().summary()).isEqualTo("webhook inbox/note");
        assertThat(p.origin().detail().toJson()).contains("body");
        assertThat(p.top()).extracting(FrameSnapshot::functionName, FrameSnapshot::path, FrameSnapshot::line)
                .containsExactly("webhook inbox/note", path, 3);
        pauses.control(p).stepInto();
        PauseSnapshot inside = pauses.next();
        assertThat(inside.stack()).extracting(FrameSnapshot::functionName).containsExactly("shout", "webhook inbox/note");
        pauses.control(inside).resume();

        HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.body()).contains("HOOKED!");
    }

    @Test
    void stopEndsTheSdkCallWithAClearError() throws Exception {
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 2));
        CompletableFuture<HttpResponse<String>> response = DebugApp.call(host, login, "greet", "[\"Di\"]");

        pauses.control(pauses.next()).stop();

        HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("Function greet was stopped in the debugger");
    }
}
