package dev.thimble.workbench.workspace;

import dev.thimble.runtime.app.FunctionSourceChecker;
import dev.thimble.runtime.app.FunctionSourceChecker.SyntaxError;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Parses function sources as the user types, on one thread of its own: the GraalJS Context behind
 * {@link FunctionSourceChecker} belongs to one thread, and a parse must never wait behind a save or a
 * server start. Checks queue in order; callers debounce and drop stale answers themselves.
 */
public final class SyntaxChecks implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "thimble-syntax-check");
        t.setDaemon(true);
        return t;
    });
    private FunctionSourceChecker checker;

    /** Creates the GraalJS Context now (~300 ms the first time in a JVM) so the first real check is fast. */
    public void warmUp() {
        check("exports = function() {};", "warm-up.js");
    }

    /** The first syntax error of {@code source}; completes exceptionally only when the parser itself fails. */
    public CompletableFuture<Optional<SyntaxError>> check(String source, String sourceName) {
        return CompletableFuture.supplyAsync(() -> checker().check(source, sourceName), thread);
    }

    private FunctionSourceChecker checker() {
        if (checker == null) {
            checker = new FunctionSourceChecker();
        }
        return checker;
    }

    @Override
    public void close() {
        thread.execute(() -> {
            if (checker != null) {
                checker.close();
            }
        });
        thread.shutdown();
    }
}
