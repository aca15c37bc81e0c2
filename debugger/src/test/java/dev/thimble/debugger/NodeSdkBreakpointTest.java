package dev.thimble.debugger;

import dev.thimble.runtime.AppHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real Stitch server SDK (Node) waits at a breakpoint and gets its answer after continue, or a clear error after stop. */
class NodeSdkBreakpointTest {
    static final Path CLIENTS = Path.of("../test-clients").toAbsolutePath().normalize();
    @TempDir
    static Path tmp;
    static AppHost host;

    @BeforeAll
    static void startHost() {
        assumeTrue(Files.isDirectory(CLIENTS.resolve("node_modules/mongodb-stitch-server-sdk")),
                "run (cd test-clients && npm ci --no-audit --no-fund) first");
        host = DebugApp.start(tmp);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void theSdkWaitsAtABreakpointAndGetsItsAnswerAfterContinue() throws Exception {
        Breakpoints breakpoints = new Breakpoints();
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 3));
        try (FunctionDebugger debugger = FunctionDebugger.attach(host.services().functions(), breakpoints)) {
            Pauses pauses = new Pauses(debugger);
            Process sdk = startSdk("greet", "Lee");

            PauseSnapshot p = pauses.next();
            assertThat(p.top().functionName()).isEqualTo("greet");
            assertThat(p.origin().summary()).contains("SDK callFunction greet");
            Thread.sleep(1500);
            assertThat(sdk.isAlive()).as("the SDK is still waiting for its answer").isTrue();
            pauses.control(p).resume();

            assertThat(output(sdk)).anyMatch(l -> l.startsWith("RESULT ") && l.contains("\"shout\":\"HELLO, LEE!\""));
        }
    }

    @Test
    void stopGivesTheSdkAClearError() throws Exception {
        Breakpoints breakpoints = new Breakpoints();
        breakpoints.set(Breakpoints.Line.at("functions/greet/source.js", 2));
        try (FunctionDebugger debugger = FunctionDebugger.attach(host.services().functions(), breakpoints)) {
            Pauses pauses = new Pauses(debugger);
            Process sdk = startSdk("greet", "Max");

            pauses.control(pauses.next()).stop();

            assertThat(output(sdk)).contains("ERROR Function greet was stopped in the debugger");
        }
    }

    private static Process startSdk(String function, String argument) throws Exception {
        Path script = tmp.resolve("call-greet.mjs");
        try (var in = NodeSdkBreakpointTest.class.getResourceAsStream("/node/call-greet.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        pb.environment().put("THIMBLE_CLIENTS", CLIENTS.toString());
        pb.environment().put("THIMBLE_BASE_URL", host.baseUrl());
        pb.environment().put("THIMBLE_APP_ID", host.app().clientAppId());
        pb.environment().put("THIMBLE_FUNCTION", function);
        pb.environment().put("THIMBLE_ARGUMENT", argument);
        return pb.start();
    }

    private static List<String> output(Process sdk) throws Exception {
        assertThat(sdk.waitFor(60, TimeUnit.SECONDS)).as("the SDK process ends").isTrue();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sdk.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().forEach(lines::add);
        }
        return lines;
    }
}
