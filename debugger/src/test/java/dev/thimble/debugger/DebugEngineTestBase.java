package dev.thimble.debugger;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.functions.ExecutionOrigin;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The set-up the debugger's engine-level tests share: the {@link DebugApp} served by one real host
 * per test class, a fresh debugger with no breakpoints attached to its engine per test, and calls
 * run on a thread of their own (a paused call blocks its thread).
 */
abstract class DebugEngineTestBase {
    @TempDir
    static Path tmp;
    static AppHost host;
    static FunctionEngine engine;

    Breakpoints breakpoints;
    FunctionDebugger debugger;
    Pauses pauses;

    @BeforeAll
    static void startHost() {
        host = DebugApp.start(tmp);
        engine = host.services().functions();
    }

    @AfterAll
    static void stopHost() {
        host.close();
    }

    @BeforeEach
    void attach() {
        breakpoints = new Breakpoints();
        debugger = FunctionDebugger.attach(engine, breakpoints);
        pauses = new Pauses(debugger);
    }

    @AfterEach
    void detach() {
        debugger.close();
    }

    static CompletableFuture<FunctionResult> run(String name, ExecutionRequest request, BsonValue... args) {
        return CompletableFuture.supplyAsync(() -> engine.execute(name, List.of(args), request));
    }

    /** Runs {@code name} as user {@code u1} from the console. */
    static CompletableFuture<FunctionResult> run(String name, BsonValue... args) {
        return run(name, ExecutionRequest.asUser(Principal.normal("u1"))
                .withOrigin(ExecutionOrigin.of(ExecutionOrigin.Kind.CONSOLE, "console")), args);
    }
}
