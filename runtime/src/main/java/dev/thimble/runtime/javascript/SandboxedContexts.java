package dev.thimble.runtime.javascript;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.IOAccess;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The one set of context options every GraalJS context of Thimble is built with, whether it runs an
 * app's functions or only parses them: no host classes or class loading, no IO, threads, processes,
 * native or environment access, no other languages, no standard streams, and none of GraalJS's own
 * shell built-ins ({@code load}, {@code print}, {@code console}, {@code Graal}). The sandbox policy is
 * CONSTRAINED, or TRUSTED on a debugger's engine (the debugger needs it; the explicit restrictions are
 * the same). Callers add only what is theirs (a statement limit) and build.
 */
public final class SandboxedContexts {
    private SandboxedContexts() {
    }

    /** A builder for a context of {@code engine} with the locked-down options; add limits, then build. */
    public static Context.Builder builder(Engine engine) {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(GraalEngines.isDebugEngine(engine) ? SandboxPolicy.TRUSTED : SandboxPolicy.CONSTRAINED)
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
    }
}
