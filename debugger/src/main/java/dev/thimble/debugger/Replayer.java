package dev.thimble.debugger;

import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.RequestInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Re-runs a function call (from a log record, a trigger event or a webhook payload) on an app's
 * engine, so an attached {@link FunctionDebugger} stops in it like in any other call. A dry run
 * uses a copy of the engine whose database withholds writes and reports them.
 */
public final class Replayer {
    private final FunctionEngine engine;

    public Replayer(FunctionEngine engine) {
        this.engine = engine;
    }

    /** Runs the replay on a thread of its own (it may stop at a breakpoint); the future completes when it ends. */
    public CompletableFuture<ReplayResult> start(ReplayRequest replay) {
        CompletableFuture<ReplayResult> done = new CompletableFuture<>();
        Thread.ofVirtual().name("thimble-replay-" + replay.functionName()).start(() -> {
            try {
                done.complete(run(replay));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Runs the replay and waits for it.
     *
     * @throws IllegalArgumentException when the app has no such function
     */
    public ReplayResult run(ReplayRequest replay) {
        if (!replay.isWebhook() && engine.app().function(replay.functionName()).isEmpty()) {
            throw new IllegalArgumentException("cannot replay " + replay.functionName() + ": the app has no function of that name (any more)");
        }
        Caller caller = replay.userId().isEmpty() ? Caller.system()
                : Caller.user(engine.findUser(replay.userId()).orElseGet(() -> Principal.normal(replay.userId())));
        ExecutionRequest request = new ExecutionRequest(caller, RequestInfo.NONE, null, replay.origin());
        if (!replay.dryRun()) {
            return new ReplayResult(execute(engine, replay, request), List.of(), false);
        }
        DryRunMongo[] dry = new DryRunMongo[1];
        try (FunctionEngine copy = engine.withMongo(real -> dry[0] = new DryRunMongo(real))) {
            FunctionResult result = execute(copy, replay, request);
            return new ReplayResult(result, dry[0].writes(), true);
        }
    }

    private static FunctionResult execute(FunctionEngine on, ReplayRequest replay, ExecutionRequest request) {
        if (replay.isWebhook()) {
            var payload = replay.arguments().isEmpty() || !replay.arguments().get(0).isDocument()
                    ? new org.bson.BsonDocument() : replay.arguments().get(0).asDocument();
            return on.executeHandler(replay.functionName(), payload, request).result();
        }
        return on.execute(replay.functionName(), replay.arguments().getValues(), request);
    }
}
