package dev.thimble.runtime.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node's CommonJS resolution ({@code require.resolve}) over two read-only trees: the built-in modules
 * Thimble ships and the app's {@code functions/} folder. Core module names come first (so an npm
 * placeholder such as {@code crypto@1.0.1} never shadows the built-in), then {@code node_modules}
 * folders from the requiring file up to the tree's root, honouring {@code exports} (conditions
 * {@code require}, {@code node}, {@code default}), {@code main}, and index files. The built-in tree
 * also honours the {@code browser} field, which is how its vendored packages pick their
 * environment-neutral files. Results are cached; a tree is immutable for one app version.
 */
final class ModuleResolver {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Node core modules Thimble provides, by the name {@code require} takes. */
    static final Set<String> CORE = Set.of("assert", "buffer", "crypto", "events", "http", "https", "os", "path",
            "punycode", "querystring", "stream", "string_decoder", "timers", "url", "util", "zlib", "process",
            "fs", "net", "tls", "dns", "dgram", "http2", "tty", "constants", "console", "perf_hooks", "async_hooks");

    /** Core modules that stay refused, with why. */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("child_process", "functions cannot start processes"),
            Map.entry("cluster", "functions cannot start processes"),
            Map.entry("worker_threads", "functions cannot start threads"),
            Map.entry("vm", "functions cannot create new JavaScript realms"),
            Map.entry("v8", "the engine is GraalJS, not V8"),
            Map.entry("inspector", "use the Thimble debugger instead"),
            Map.entry("repl", "functions have no terminal"),
            Map.entry("readline", "functions have no terminal"),
            Map.entry("domain", "it was never supported by App Services"),
            Map.entry("module", "functions cannot load code outside require()"),
            Map.entry("trace_events", "functions cannot trace the engine"),
            Map.entry("wasi", "functions cannot run WebAssembly system interfaces"));

    private static final List<String> CONDITIONS = List.of("require", "node", "default");
    /** What an ES-module-only package exports under; found only to say why require() cannot load it. */
    private static final List<String> ESM_CONDITIONS = List.of("import", "module", "node", "default");

    /** Where a request led: a core module ({@code files} null) or a file of a tree. */
    record Resolved(String id, ModuleFiles files, String path, String core) {
        static Resolved core(String name) {
            return new Resolved("node:" + name, null, null, name);
        }

        static Resolved file(ModuleFiles files, String path) {
            return new Resolved(files.tree() + ":" + path, files, path, null);
        }

        boolean isJson() {
            return path != null && path.endsWith(".json");
        }
    }

    private final ModuleFiles builtin;
    private final ModuleFiles app;
    private final Map<String, Resolved> cache = new ConcurrentHashMap<>();
    private final Map<String, Optional<JsonNode>> packages = new ConcurrentHashMap<>();

    ModuleResolver(ModuleFiles builtin, ModuleFiles app) {
        this.builtin = builtin;
        this.app = app;
    }

    ModuleFiles app() {
        return app;
    }

    /**
     * Resolves {@code request} as required from the module {@code fromId} (a {@link Resolved#id()}), or
     * from a function file when {@code fromId} is null.
     *
     * @throws ModuleException when nothing is found, or the request names something functions cannot load
     */
    Resolved resolve(String request, String fromId) {
        String key = (fromId == null ? "" : fromId) + "\n" + request;
        Resolved known = cache.get(key);
        if (known != null) {
            return known;
        }
        Resolved found = resolveUncached(request, fromId);
        cache.put(key, found);
        return found;
    }

    private Resolved resolveUncached(String request, String fromId) {
        if (request.isEmpty()) {
            throw new ModuleException("TypeError", "ERR_INVALID_ARG_VALUE", "require() needs a module name, not an empty string");
        }
        String name = request.startsWith("node:") ? request.substring(5) : request;
        ModuleFiles files = app;
        String fromDir = "/";
        if (fromId != null) {
            int colon = fromId.indexOf(':');
            String tree = fromId.substring(0, colon);
            files = tree.equals("builtin") ? builtin : app;
            String fromPath = fromId.substring(colon + 1);
            fromDir = fromPath.substring(0, fromPath.lastIndexOf('/') + 1);
        }
        if (REFUSED.containsKey(name)) {
            throw new ModuleException("Error", "ERR_THIMBLE_REFUSED", "require('" + request + "'): Node's " + name
                    + " module is not available in Thimble functions (" + REFUSED.get(name) + ")");
        }
        if (CORE.contains(name)) {
            return Resolved.core(name);
        }
        if (request.startsWith("node:")) {
            throw notFound(request, fromId, "there is no Node core module of that name");
        }
        if (files == builtin && fromId != null) {
            String mapped = browserMapping(files, fromDir, request);
            if (mapped != null) {
                if (mapped.isEmpty()) {
                    return Resolved.core("empty");
                }
                request = mapped;
            }
        }
        if (request.startsWith("./") || request.startsWith("../") || request.startsWith("/") || request.equals(".") || request.equals("..")) {
            if (fromId == null) {
                throw new ModuleException("Error", "MODULE_NOT_FOUND", "require('" + request + "'): a function file cannot require local files"
                        + " (App Services had none either); put shared code in a function and call it with context.functions.execute,"
                        + " or in a package under functions/node_modules");
            }
            String path = normalize(request.startsWith("/") ? request : fromDir + request);
            if (path == null) {
                throw notFound(request, fromId, "the path leads out of the module tree");
            }
            String file = loadAsFile(files, path);
            if (file == null) {
                file = loadAsDirectory(files, path);
            }
            if (file == null) {
                throw notFound(request, fromId, null);
            }
            return Resolved.file(files, file);
        }
        String file = loadFromNodeModules(files, request, fromDir);
        if (file == null) {
            throw notFound(request, fromId, null);
        }
        checkCommonJs(files, file, request);
        return Resolved.file(files, file);
    }

    /** An ES module file ({@code .mjs}, or {@code .js} in a {@code "type": "module"} package) cannot be required. */
    private void checkCommonJs(ModuleFiles files, String file, String request) {
        if (file.endsWith(".mjs")) {
            throw esm(request, packageName(request));
        }
        if (!file.endsWith(".js")) {
            return;
        }
        for (String dir = file.substring(0, file.lastIndexOf('/') + 1); dir != null; dir = parent(dir)) {
            Optional<JsonNode> pkg = packageJson(files, dir.equals("/") ? "" : dir.substring(0, dir.length() - 1));
            if (pkg.isPresent()) {
                if ("module".equals(pkg.get().path("type").asText())) {
                    throw esm(request, packageName(request));
                }
                return;
            }
        }
    }

    private static ModuleException esm(String request, String packageName) {
        return new ModuleException("Error", "ERR_REQUIRE_ESM", "require('" + request + "'): package " + packageName
                + " is an ES module, and functions load CommonJS packages with require() (as in App Services);"
                + " use a version of " + packageName + " that ships CommonJS");
    }

    private ModuleException notFound(String request, String fromId, String why) {
        String where = fromId == null ? "functions/node_modules" : fromId.replaceFirst("^app:", "functions");
        String text = "Cannot find module '" + request + "'" + (fromId == null ? "" : " (required from " + where + ")")
                + (why != null ? ": " + why
                : fromId == null || fromId.startsWith("app:") ? ": it is not in the app's functions/node_modules; add it to "
                + "functions/package.json (with its lock file) or put the package under functions/node_modules" : "");
        return new ModuleException("Error", "MODULE_NOT_FOUND", text);
    }

    // ------------------------------------------------------------------ Node's algorithm

    private String loadFromNodeModules(ModuleFiles files, String request, String fromDir) {
        String packageName = packageName(request);
        String subpath = request.length() > packageName.length() ? "." + request.substring(packageName.length()) : ".";
        for (String dir = fromDir; dir != null; dir = parent(dir)) {
            if (dir.endsWith("/node_modules/")) {
                continue;
            }
            String base = dir + "node_modules/" + packageName;
            if (!files.isDirectory(base) && !files.isFile(base + ".js")) {
                continue;
            }
            JsonNode pkg = packageJson(files, base).orElse(null);
            if (pkg != null && pkg.has("exports") && !pkg.get("exports").isNull()) {
                String target = exportsTarget(pkg.get("exports"), subpath);
                if (target == null) {
                    if (exportsTarget(pkg.get("exports"), subpath, ESM_CONDITIONS) != null) {
                        throw esm(request, packageName);
                    }
                    throw new ModuleException("Error", "ERR_PACKAGE_PATH_NOT_EXPORTED", "require('" + request + "'): package "
                            + packageName + " does not export " + subpath + " for require()");
                }
                String path = normalize(base + "/" + target.substring(2));
                if (path != null && files.isFile(path)) {
                    return path;
                }
                throw notFound(request, null, "package " + packageName + " exports " + target + ", which is missing");
            }
            String path = base + (subpath.equals(".") ? "" : subpath.substring(1));
            String file = loadAsFile(files, path);
            if (file == null) {
                file = loadAsDirectory(files, path);
            }
            if (file != null) {
                return file;
            }
        }
        return null;
    }

    private String loadAsFile(ModuleFiles files, String path) {
        for (String candidate : List.of(path, path + ".js", path + ".json", path + ".cjs", path + ".node")) {
            if (files.isFile(candidate)) {
                if (candidate.endsWith(".node")) {
                    throw new ModuleException("Error", "ERR_THIMBLE_NATIVE", "require(): " + candidate.replaceFirst("^/", "")
                            + " is a native addon; Thimble functions run JavaScript only (use a pure-JavaScript package instead)");
                }
                return candidate;
            }
        }
        return null;
    }

    private String loadAsDirectory(ModuleFiles files, String path) {
        if (!files.isDirectory(path)) {
            return null;
        }
        JsonNode pkg = packageJson(files, path).orElse(null);
        if (pkg != null) {
            String main = null;
            if (files == builtin && pkg.path("browser").isTextual()) {
                main = pkg.get("browser").asText();
            } else if (pkg.path("main").isTextual() && !pkg.get("main").asText().isBlank()) {
                main = pkg.get("main").asText();
            }
            if (main != null) {
                String m = normalize(path + "/" + main);
                if (m != null) {
                    String file = loadAsFile(files, m);
                    if (file == null) {
                        file = index(files, m);
                    }
                    if (file != null) {
                        return file;
                    }
                }
            }
        }
        return index(files, path);
    }

    private static String index(ModuleFiles files, String path) {
        for (String candidate : List.of(path + "/index.js", path + "/index.json", path + "/index.cjs")) {
            if (files.isFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The target of {@code exports} for {@code subpath} (".", "./sub"), or null when not exported. */
    static String exportsTarget(JsonNode exports, String subpath) {
        return exportsTarget(exports, subpath, CONDITIONS);
    }

    private static String exportsTarget(JsonNode exports, String subpath, List<String> conditions) {
        if (exports.isTextual() || exports.isArray() || (exports.isObject() && !hasSubpathKeys(exports))) {
            return subpath.equals(".") ? conditional(exports, conditions) : null;
        }
        JsonNode exact = exports.get(subpath);
        if (exact != null) {
            return conditional(exact, conditions);
        }
        String best = null;
        String bestKey = null;
        for (Iterator<String> it = exports.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            int star = key.indexOf('*');
            if (star < 0) {
                if (key.endsWith("/") && subpath.startsWith(key) && (bestKey == null || key.length() > bestKey.length())) {
                    String target = conditional(exports.get(key), conditions);
                    if (target != null) {
                        best = target + subpath.substring(key.length());
                        bestKey = key;
                    }
                }
                continue;
            }
            String prefix = key.substring(0, star);
            String suffix = key.substring(star + 1);
            if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length() >= key.length() - 1
                    && (bestKey == null || prefix.length() > bestKey.length())) {
                String target = conditional(exports.get(key), conditions);
                if (target != null) {
                    best = target.replace("*", subpath.substring(prefix.length(), subpath.length() - suffix.length()));
                    bestKey = prefix;
                }
            }
        }
        return best;
    }

    private static boolean hasSubpathKeys(JsonNode exports) {
        for (Iterator<String> it = exports.fieldNames(); it.hasNext(); ) {
            if (it.next().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String conditional(JsonNode target, List<String> conditions) {
        if (target == null || target.isNull()) {
            return null;
        }
        if (target.isTextual()) {
            return target.asText().startsWith("./") ? target.asText() : null;
        }
        if (target.isArray()) {
            for (JsonNode each : target) {
                String found = conditional(each, conditions);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (target.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (conditions.contains(entry.getKey())) {
                    String found = conditional(entry.getValue(), conditions);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    /** The built-in tree's {@code browser} object field of the package holding {@code fromDir}: the replacement, "" for false, or null. */
    private String browserMapping(ModuleFiles files, String fromDir, String request) {
        for (String dir = fromDir; dir != null; dir = parent(dir)) {
            Optional<JsonNode> pkg = packageJson(files, dir.equals("/") ? "" : dir.substring(0, dir.length() - 1));
            if (pkg.isEmpty()) {
                continue;
            }
            JsonNode browser = pkg.get().get("browser");
            if (!(browser instanceof ObjectNode map)) {
                return null;
            }
            String key = request;
            if (request.startsWith(".")) {
                String abs = normalize(fromDir + request);
                if (abs == null) {
                    return null;
                }
                key = "." + abs.substring(dir.length() - 1);
            }
            for (String candidate : List.of(key, key + ".js")) {
                JsonNode mapped = map.get(candidate);
                if (mapped != null) {
                    if (mapped.isBoolean() && !mapped.asBoolean()) {
                        return "";
                    }
                    String target = mapped.asText();
                    return target.startsWith("./") ? normalize(dir + target.substring(2)) : target;
                }
            }
            return null;
        }
        return null;
    }

    private Optional<JsonNode> packageJson(ModuleFiles files, String dir) {
        return packages.computeIfAbsent(files.tree() + ":" + dir, k -> files.read(dir + "/package.json").map(text -> {
            try {
                return JSON.readTree(text);
            } catch (Exception e) {
                throw new ModuleException("Error", "ERR_INVALID_PACKAGE_CONFIG", dir.replaceFirst("^/", "") + "/package.json is not valid JSON: " + e.getMessage());
            }
        }));
    }

    static String packageName(String request) {
        int slash = request.indexOf('/');
        if (request.startsWith("@") && slash > 0) {
            int second = request.indexOf('/', slash + 1);
            return second < 0 ? request : request.substring(0, second);
        }
        return slash < 0 ? request : request.substring(0, slash);
    }

    /** The parent directory of {@code dir} (ending in '/'), or null at the root. */
    private static String parent(String dir) {
        if (dir.equals("/")) {
            return null;
        }
        String trimmed = dir.substring(0, dir.length() - 1);
        return trimmed.substring(0, trimmed.lastIndexOf('/') + 1);
    }

    /** {@code path} with "." and ".." segments applied, or null when it climbs above the root. */
    static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.removeLast();
            } else {
                out.add(segment);
            }
        }
        return "/" + String.join("/", out);
    }

    /** A failed {@code require}: becomes a JS error with {@code code} set, as Node's have. */
    static final class ModuleException extends RuntimeException {
        final String jsName;
        final String code;

        ModuleException(String jsName, String code, String message) {
            super(message, null, false, false);
            this.jsName = jsName;
            this.code = code;
        }
    }
}
