package dev.thimble.runtime.app;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.io.IOAccess;

import java.io.OutputStream;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses function and webhook sources with GraalJS without running them. One sandboxed Context,
 * made on first use and closed with this object, serves every source of one validation: the
 * first Context in a JVM costs ~300 ms, later parses a few ms each.
 */
final class JavaScriptSyntax implements AutoCloseable {

    /** A syntax error at a 1-based line and column of the original (unwrapped) source; column 0 when unknown. */
    record SyntaxError(int line, int column, String message) {
    }

    /**
     * The same wrapping the function runtime uses (STACK.md): {@code exports = ...} parses, and
     * line numbers stay right; only columns on line 1 shift, by the prefix length.
     */
    static final String PREFIX = "(function(){var exports;";
    static final String SUFFIX = "\nreturn exports;})()";

    private static final Pattern ASSIGNS_EXPORTS = Pattern.compile("(?<![.\\w$])exports\\s*=(?!=)");

    /** A context made ahead on another thread ({@link #prepareInBackground()}), taken by the first instance that parses. */
    private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Context>> PREPARED =
            new java.util.concurrent.atomic.AtomicReference<>();

    private Context context;

    /**
     * Starts making a parsing context on a background thread (the first costs GraalJS's start, most of a
     * short {@code thimble validate}), so that reading the bundle overlaps it. Does nothing when one is
     * already waiting.
     */
    static void prepareInBackground() {
        if (PREPARED.get() == null) {
            java.util.concurrent.CompletableFuture<Context> future = new java.util.concurrent.CompletableFuture<>();
            if (PREPARED.compareAndSet(null, future)) {
                Thread maker = new Thread(() -> {
                    try {
                        future.complete(newContext());
                    } catch (RuntimeException | LinkageError e) {
                        future.completeExceptionally(e);
                    }
                }, "thimble-parser-context");
                maker.setDaemon(true);
                maker.start();
            }
        }
    }

    /** Whether a source assigns {@code exports} anywhere (a regex, so a commented-out assignment counts too). */
    static boolean assignsExports(String source) {
        return ASSIGNS_EXPORTS.matcher(source).find();
    }

    /** The first syntax error of {@code source}, or empty when it parses; {@code sourceName} labels GraalJS's message. */
    Optional<SyntaxError> check(String source, String sourceName) {
        try {
            context().parse(Source.newBuilder("js", PREFIX + source + SUFFIX, sourceName).cached(false).build());
            return Optional.empty();
        } catch (PolyglotException e) {
            return Optional.of(toSyntaxError(e, source, sourceName));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a source held in memory cannot fail to be read", e);
        }
    }

    private static SyntaxError toSyntaxError(PolyglotException e, String source, String sourceName) {
        String message = cleanMessage(e.getMessage(), sourceName);
        if (!e.isSyntaxError()) {
            message = "cannot be parsed: " + message;
        }
        SourceSection at = e.getSourceLocation();
        int line = at == null ? 1 : at.getStartLine();
        int column = at == null ? 0 : at.getStartColumn();
        int lines = (int) source.chars().filter(c -> c == '\n').count() + 1;
        if (line > lines) {
            // the error is in the wrapper's last line: the source ended too early
            return new SyntaxError(lines, 0, message + " (reached the end of the file; is a closing bracket or quote missing?)");
        }
        if (line == 1 && column > 0) {
            column = Math.max(1, column - PREFIX.length());
        }
        return new SyntaxError(line, column, message);
    }

    /** GraalJS says {@code SyntaxError: <name>:3:13 Expected an operand but found ;} and then the code line; keep the middle. */
    private static String cleanMessage(String raw, String sourceName) {
        String message = raw == null ? "syntax error" : raw.strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline).strip();
        }
        message = message.replaceFirst("^SyntaxError: ", "");
        message = message.replaceFirst("^" + Pattern.quote(sourceName) + ":\\d+:\\d+ ", "");
        return message;
    }

    private Context context() {
        if (context == null) {
            java.util.concurrent.CompletableFuture<Context> prepared = PREPARED.getAndSet(null);
            try {
                context = prepared != null ? prepared.join() : newContext();
            } catch (java.util.concurrent.CompletionException e) {
                context = newContext(); // the background attempt failed: this one reports why, if it fails too
            }
        }
        return context;
    }

    private static Context newContext() {
        return Context.newBuilder("js")
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(name -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
