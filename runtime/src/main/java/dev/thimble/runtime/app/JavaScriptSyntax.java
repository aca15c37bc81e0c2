package dev.thimble.runtime.app;

import dev.thimble.runtime.javascript.GraalEngines;
import dev.thimble.runtime.javascript.SandboxedContexts;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Parses function and webhook sources with GraalJS without running them. GraalJS's parser is called
 * directly when it is readable ({@link GraalJsParser}: no engine, milliseconds on a cold JVM, so
 * {@code thimble validate} never starts one). A source with regular-expression literals, or any source
 * when the parser is not readable, is parsed by a sandboxed Context of the process-wide engine
 * ({@link GraalEngines#shared()}, the one the functions run on, so a process starts one engine, not two),
 * made on first use and closed with this object; its regex engine validates the literals. Both ways
 * give the same messages, lines and columns.
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
    private static final AtomicReference<CompletableFuture<Context>> PREPARED = new AtomicReference<>();

    /** Whether {@link GraalJsParser} is used when it can be (tests turn it off to compare both ways). */
    private final boolean direct;
    private Context context;

    JavaScriptSyntax() {
        this(true);
    }

    /** @param direct false to parse every source with a context (tests compare the two ways) */
    JavaScriptSyntax(boolean direct) {
        this.direct = direct && GraalJsParser.available();
    }

    /**
     * Readies parsing on a background thread, so that reading the bundle overlaps it: loads GraalJS's
     * parser classes by parsing a small source, or, when the parser is not readable, makes the parsing
     * context (the first costs the engine's start, most of a short {@code thimble validate}). Does
     * nothing when that is under way already.
     */
    static void prepareInBackground() {
        if (PREPARED.get() != null) {
            return;
        }
        CompletableFuture<Context> future = new CompletableFuture<>();
        if (PREPARED.compareAndSet(null, future)) {
            Thread maker = new Thread(() -> {
                try {
                    if (GraalJsParser.available()) {
                        GraalJsParser.parse(PREFIX + "exports = function(a) { return [a, `${a}`, {a}]; };" + SUFFIX, "warm-up.js");
                        future.complete(null); // no context needed ahead: one is made only for a source that needs it
                    } else {
                        future.complete(newContext());
                    }
                } catch (RuntimeException | LinkageError e) {
                    future.completeExceptionally(e);
                }
            }, "thimble-parser-warm-up");
            maker.setDaemon(true);
            maker.start();
        }
    }

    /** Whether a source assigns {@code exports} anywhere (a regex, so a commented-out assignment counts too). */
    static boolean assignsExports(String source) {
        return ASSIGNS_EXPORTS.matcher(source).find();
    }

    /** The first syntax error of {@code source}, or empty when it parses; {@code sourceName} labels GraalJS's message. */
    Optional<SyntaxError> check(String source, String sourceName) {
        String wrapped = PREFIX + source + SUFFIX;
        if (direct) {
            GraalJsParser.Outcome parsed = GraalJsParser.parse(wrapped, sourceName);
            GraalJsParser.Failure failure = parsed.failure();
            if (failure != null) {
                int line = failure.position() < 0 ? 1 : lineOf(wrapped, failure.position());
                int column = failure.position() < 0 ? 0 : columnOf(wrapped, failure.position());
                return Optional.of(toSyntaxError(failure.message(), failure.syntaxError(), line, column, source, sourceName));
            }
            if (!parsed.hasRegexLiterals()) {
                return Optional.empty();
            }
            // the literals' patterns are checked by GraalJS's regex engine, which only a context has
        }
        try {
            context().parse(Source.newBuilder("js", wrapped, sourceName).cached(false).build());
            return Optional.empty();
        } catch (PolyglotException e) {
            SourceSection at = e.getSourceLocation();
            return Optional.of(toSyntaxError(e.getMessage(), e.isSyntaxError(), at == null ? 1 : at.getStartLine(),
                    at == null ? 0 : at.getStartColumn(), source, sourceName));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a source held in memory cannot fail to be read", e);
        }
    }

    /** The 1-based line of a character offset, counting lines as GraalJS's sources do (by {@code \n}). */
    private static int lineOf(String text, int position) {
        int line = 1;
        for (int i = 0, end = Math.min(position, text.length()); i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The 1-based column of a character offset within its line. */
    private static int columnOf(String text, int position) {
        int lineStart = text.lastIndexOf('\n', Math.min(position, text.length()) - 1) + 1;
        return position - lineStart + 1;
    }

    /** GraalJS's error at a 1-based line and column of the wrapped source, as a {@link SyntaxError} of the original. */
    private static SyntaxError toSyntaxError(String rawMessage, boolean syntaxError, int line, int column, String source, String sourceName) {
        String message = cleanMessage(rawMessage, sourceName);
        if (!syntaxError) {
            message = "cannot be parsed: " + message;
        }
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
            CompletableFuture<Context> prepared = PREPARED.getAndSet(null);
            Context made = null;
            try {
                made = prepared != null ? prepared.join() : null;
            } catch (java.util.concurrent.CompletionException e) {
                // the background attempt failed: this one reports why, if it fails too
            }
            context = made != null ? made : newContext();
        }
        return context;
    }

    /** A parse-only context of the process-wide engine, with the functions' own locked-down options. */
    private static Context newContext() {
        return SandboxedContexts.builder(GraalEngines.shared()).build();
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
