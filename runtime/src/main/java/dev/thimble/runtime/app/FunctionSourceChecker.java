package dev.thimble.runtime.app;

import java.util.Optional;

/**
 * Parses one function source exactly as {@link BundleValidator} does (same wrapping, same GraalJS
 * parse, never run), for editors that check as the user types: with GraalJS's parser directly where
 * it is readable, else (and for regular-expression literals) with one sandboxed Context kept between
 * checks ({@code JavaScriptSyntax}). Not thread-safe: use it from one thread, and close it.
 */
public final class FunctionSourceChecker implements AutoCloseable {

    /** A syntax error at a 1-based line and column of the source; column 0 when unknown. */
    public record SyntaxError(int line, int column, String message) {
    }

    private final JavaScriptSyntax syntax = new JavaScriptSyntax();

    /**
     * Readies GraalJS's parsing on a background thread now (its parser's classes, or the parsing context
     * where the parser is not readable), so the next validation or checker finds it ready:
     * {@code thimble validate} and {@code serve} call this first, and read the bundle meanwhile
     * (decision 0023). Returns at once.
     */
    public static void prepareInBackground() {
        JavaScriptSyntax.prepareInBackground();
    }

    /** The first syntax error of {@code source}, or empty when it parses; {@code sourceName} labels the parse. */
    public Optional<SyntaxError> check(String source, String sourceName) {
        return syntax.check(source, sourceName).map(e -> new SyntaxError(e.line(), e.column(), e.message()));
    }

    @Override
    public void close() {
        syntax.close();
    }
}
