package dev.thimble.runtime.functions;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Problem;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code validate} can know about a bundle's {@code require} calls without running them: each
 * literal {@code require('x')} in a function file must name a built-in or a package the app has, and no
 * package a function requires may (statically) require a module the sandbox refuses or a native addon.
 * Findings are warnings: the server still serves, and the call fails with the same message at run time.
 */
public final class FunctionRequires {
    private static final Pattern REQUIRE = Pattern.compile("(?<![\\w$.])require\\s*\\(\\s*(['\"])([^'\"\\n]+)\\1\\s*\\)");
    /** How many package files one check reads at most. */
    private static final int MAX_FILES = 20_000;

    private FunctionRequires() {
    }

    /**
     * @param modulesRoot the folder holding the app's {@code node_modules} (see {@code FunctionModules}), or null when it has none
     * @param notInstalled when non-null, why packages are not there yet (e.g. a lock file {@code serve} has not installed)
     */
    public static List<Problem> check(AppModel app, Path modulesRoot, String notInstalled) {
        ModuleResolver resolver = new ModuleResolver(ModuleFiles.builtin(), modulesRoot == null ? ModuleFiles.NONE : ModuleFiles.directory(modulesRoot));
        List<Problem> problems = new ArrayList<>();
        for (FunctionDef fn : app.functions()) {
            for (String request : requests(fn.source())) {
                String field = "require('" + request + "')";
                ModuleResolver.Resolved resolved;
                try {
                    resolved = resolver.resolve(request, null);
                } catch (ModuleResolver.ModuleException e) {
                    String reason = e.code.equals("MODULE_NOT_FOUND") && notInstalled != null
                            ? "package '" + ModuleResolver.packageName(request) + "' is not installed yet: " + notInstalled : e.getMessage();
                    problems.add(Problem.warning(fn.sourcePath(), field, reason));
                    continue;
                }
                if (resolved.files() != null) {
                    String refusal = refusedWithin(resolver, resolved);
                    if (refusal != null) {
                        problems.add(Problem.warning(fn.sourcePath(), field, "package '" + ModuleResolver.packageName(request) + "' " + refusal
                                + "; calls that reach it will fail"));
                    }
                }
            }
        }
        return problems;
    }

    /** The first refused module or native addon the package's files require, said as "requires ... (in ...)", or null. */
    private static String refusedWithin(ModuleResolver resolver, ModuleResolver.Resolved start) {
        Deque<ModuleResolver.Resolved> work = new ArrayDeque<>();
        work.add(start);
        Set<String> seen = new HashSet<>();
        while (!work.isEmpty() && seen.size() < MAX_FILES) {
            ModuleResolver.Resolved file = work.poll();
            if (!seen.add(file.id()) || file.isJson() || file.files() == null) {
                continue;
            }
            String text = file.files().read(file.path()).orElse("");
            for (String request : requests(text)) {
                try {
                    ModuleResolver.Resolved next = resolver.resolve(request, file.id());
                    if (next.files() != null && next.files() == start.files()) {
                        work.add(next);
                    }
                } catch (ModuleResolver.ModuleException e) {
                    if (e.code.equals("ERR_THIMBLE_REFUSED") || e.code.equals("ERR_THIMBLE_NATIVE")) {
                        return "requires '" + request + "' in " + file.path().substring(1) + ", which functions cannot load: " + e.getMessage();
                    }
                    // a missing optional dependency (required inside try/catch) is common and harmless
                }
            }
        }
        return null;
    }

    /**
     * The npm packages the app's functions require by name (literal {@code require('x')} and subpaths of it),
     * leaving out Node's built-in modules and what the sandbox refuses: what an export without a
     * {@code package.json} needs installed.
     */
    public static java.util.SortedSet<String> packagesRequired(AppModel app) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        for (FunctionDef fn : app.functions()) {
            for (String request : requests(fn.source())) {
                String name = request.startsWith("node:") ? request.substring(5) : request;
                if (name.startsWith(".") || name.startsWith("/") || ModuleResolver.CORE.contains(name) || ModuleResolver.REFUSED.containsKey(name)) {
                    continue;
                }
                names.add(ModuleResolver.packageName(name));
            }
        }
        return names;
    }

    static Set<String> requests(String source) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = REQUIRE.matcher(source);
        while (m.find()) {
            found.add(m.group(2));
        }
        return found;
    }
}
