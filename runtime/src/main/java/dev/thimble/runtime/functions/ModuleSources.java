package dev.thimble.runtime.functions;

import org.graalvm.polyglot.Source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The module files {@code require} loads, as cached GraalJS Sources: each file is read and wrapped
 * once per app version (built-in modules once per process), so the Engine parses it once and every
 * execution's Context only evaluates it. Module code is wrapped like Node's
 * ({@code exports, require, module, __filename, __dirname}); built-in modules also get Thimble's
 * internal bridge as a sixth parameter, which app modules never see.
 */
final class ModuleSources {
    static final String MODULE_PREFIX = "(function (exports, require, module, __filename, __dirname) {";
    static final String BUILTIN_PREFIX = "(function (exports, require, module, __filename, __dirname, thimble) {";
    static final String SUFFIX = "\n})";
    private static final Map<String, Source> BUILTIN = new ConcurrentHashMap<>();

    private final ModuleResolver resolver;
    private final Map<String, Source> app = new ConcurrentHashMap<>();

    ModuleSources(ModuleFiles appFiles) {
        this.resolver = new ModuleResolver(ModuleFiles.builtin(), appFiles);
    }

    ModuleResolver resolver() {
        return resolver;
    }

    /** A JSON file's text, or null when {@code resolved} is JavaScript. */
    String json(ModuleResolver.Resolved resolved) {
        if (!resolved.isJson()) {
            return null;
        }
        return resolved.files().read(resolved.path()).orElseThrow(() -> missing(resolved));
    }

    /** The wrapped Source of a JavaScript module file. */
    Source source(ModuleResolver.Resolved resolved) {
        boolean builtin = resolved.files() == ModuleFiles.builtin();
        Map<String, Source> cache = builtin ? BUILTIN : app;
        return cache.computeIfAbsent(resolved.id(), id -> {
            String text = resolved.files().read(resolved.path()).orElseThrow(() -> missing(resolved));
            if (text.startsWith("#!")) {
                text = "//" + text; // a shebang line is legal in Node module files only
            }
            // named relative to the functions folder (node_modules/...), not functions/...: stack frames and the debugger
            // take functions/<name>/source.js for the user's own function files
            String name = builtin ? "node" + resolved.path() : resolved.path().substring(1);
            return Source.newBuilder("js", (builtin ? BUILTIN_PREFIX : MODULE_PREFIX) + text + SUFFIX, name)
                    .uri(resolved.files().uri(resolved.path())).internal(builtin).cached(true).buildLiteral();
        });
    }

    private static ModuleResolver.ModuleException missing(ModuleResolver.Resolved resolved) {
        return new ModuleResolver.ModuleException("Error", "MODULE_NOT_FOUND", "Cannot read module " + resolved.id());
    }
}
