package dev.thimble.runtime.functions;

import dev.thimble.runtime.javascript.GraalEngines;
import dev.thimble.runtime.javascript.SandboxedContexts;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * The GraalJS side of functions: how a function's source is wrapped, the bootstrap, and the statement
 * limit. The engines and the locked-down context options are the {@code javascript} package's, shared
 * with the bundle's validation, so every Context of an Engine uses one configuration (STACK.md).
 */
final class JsRuntime {

    /**
     * The wrapper keeps the user's line numbers (only line-1 columns shift by {@link #PREFIX}'s length).
     * {@code context} is a parameter so every function instance sees the context of the identity it
     * runs as, also after an {@code await}; {@code var exports} is declared last (hoisted) so a leading
     * {@code "use strict"} stays a directive, and the source is otherwise sloppy (real functions assign
     * undeclared names, which become globals of the request's one realm). There is no {@code module}:
     * App Services had none in function files, and the common guard
     * {@code if (typeof module !== 'undefined') module.exports = exports} must stay a no-op.
     */
    static final String PREFIX = "(function(context){return (function(){";
    static final String SUFFIX = "\nvar exports;return exports;})();})";
    /** For a run-as script written as a bare function expression rather than {@code exports = ...}. */
    static final String EXPRESSION_PREFIX = "(function(context){return (";
    static final String EXPRESSION_SUFFIX = "\n);})";

    private static final Source BOOTSTRAP = Source.newBuilder("js", resource("bootstrap.js"), "thimble/bootstrap.js")
            .internal(true).cached(true).buildLiteral();

    /**
     * The statement limit counts the app's code, not Thimble's internal bootstrap: locking a reusable realm
     * down walks every built-in, and a small per-call limit must not trip on that. One instance, because
     * every context of an engine must use the same filter.
     */
    private static final java.util.function.Predicate<Source> COUNTED = source -> !source.isInternal();

    private JsRuntime() {
    }

    /** The process-wide engine ({@link GraalEngines#shared()}). */
    static Engine sharedEngine() {
        return GraalEngines.shared();
    }

    static Engine newEngine() {
        return GraalEngines.newEngine();
    }

    static Engine newDebugEngine() {
        return GraalEngines.newDebugEngine();
    }

    /** True when the engine compiles hot code (Truffle on a JVM with the Graal compiler), false when it only interprets. */
    static boolean isOptimizing(Engine engine) {
        return GraalEngines.isOptimizing(engine);
    }

    /** True for an Engine made for a debugger ({@link #newDebugEngine()}). */
    static boolean isDebugEngine(Engine engine) {
        return GraalEngines.isDebugEngine(engine);
    }

    /** A context of {@code engine} with the locked-down options ({@link SandboxedContexts}) and, when positive, a statement limit. */
    static Context newContext(Engine engine, long statementLimit) {
        Context.Builder builder = SandboxedContexts.builder(engine);
        if (statementLimit > 0) {
            builder.resourceLimits(ResourceLimits.newBuilder().statementLimit(statementLimit, COUNTED).build());
        }
        return builder.build();
    }

    static Source bootstrap() {
        return BOOTSTRAP;
    }

    static Source functionSource(String path, URI uri, String source) {
        return Source.newBuilder("js", PREFIX + source + SUFFIX, path).uri(uri).cached(true).buildLiteral();
    }

    static Source scriptSource(String path, URI uri, String source) {
        boolean assignsExports = source.contains("exports");
        String text = assignsExports ? PREFIX + source + SUFFIX : EXPRESSION_PREFIX + source + EXPRESSION_SUFFIX;
        return Source.newBuilder("js", text, path).uri(uri).cached(true).buildLiteral();
    }

    /** {@code root} resolved against a bundle-relative path, with each segment encoded. */
    static URI uri(URI root, String path) {
        try {
            URI relative = new URI(null, null, path, null);
            return root.resolve(relative);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a URI of " + path, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = JsRuntime.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
