package dev.thimble.runtime.functions;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * The GraalJS side: the shared Engine, the sandboxed Context configuration, and how a function's
 * source is wrapped. Every Context of an Engine uses this one configuration (STACK.md).
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

    private static final class Shared {
        static final Engine ENGINE = announced(newEngine());
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JsRuntime.class);

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

    static Engine sharedEngine() {
        return Shared.ENGINE;
    }

    /**
     * Engines made for a debugger: the Truffle debugger refuses sandbox policies above TRUSTED, so
     * these run with policy TRUSTED and their Contexts keep the same explicit restrictions (no host
     * classes, IO, threads, processes, native or environment access), which is all CONSTRAINED adds
     * a check for.
     */
    private static final java.util.Set<Engine> DEBUG_ENGINES =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    static Engine newEngine() {
        return newEngine(SandboxPolicy.CONSTRAINED);
    }

    static Engine newDebugEngine() {
        Engine engine = newEngine(SandboxPolicy.TRUSTED);
        DEBUG_ENGINES.add(engine);
        return engine;
    }

    private static Engine newEngine(SandboxPolicy policy) {
        return Engine.newBuilder("js")
                .sandbox(policy)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false")
                .build();
    }

    /** Says once per process which GraalJS runtime functions run on: it changes CPU-heavy code by ~5× (bench/results/functions*.md). */
    private static Engine announced(Engine engine) {
        if (isOptimizing(engine)) {
            LOG.info("Functions run on GraalJS with the optimizing compiler ({})", engine.getImplementationName());
        } else {
            LOG.info("Functions run on GraalJS interpreter-only (no Graal compiler on this JVM): CPU-heavy functions run "
                    + "several times slower; ./thimble enables the compiler on the JDK it was built for (decision 0009)");
        }
        return engine;
    }

    /** True when the engine compiles hot code (Truffle on a JVM with the Graal compiler), false when it only interprets. */
    static boolean isOptimizing(Engine engine) {
        return !"Interpreted".equals(engine.getImplementationName());
    }

    /** True for an Engine made for a debugger ({@link #newDebugEngine()}). */
    static boolean isDebugEngine(Engine engine) {
        return DEBUG_ENGINES.contains(engine);
    }

    static Context newContext(Engine engine, long statementLimit) {
        Context.Builder builder = Context.newBuilder("js")
                .engine(engine)
                .sandbox(DEBUG_ENGINES.contains(engine) ? SandboxPolicy.TRUSTED : SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .in(InputStream.nullInputStream())
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.graal-builtin", "false");
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
