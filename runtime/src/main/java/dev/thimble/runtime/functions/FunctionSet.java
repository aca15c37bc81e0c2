package dev.thimble.runtime.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.EnvironmentDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ValueDef;
import org.bson.BsonDocument;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The functions of one app version and what executions read from the app (values, environment,
 * services), computed once per version. Immutable; an execution keeps the set it started with.
 */
final class FunctionSet {
    /** Incoming webhooks' sources run under {@code webhook:<service>/<hook>}: no app function can have that name. */
    static final String WEBHOOK_PREFIX = "webhook:";
    /** {@code -Dthimble.functions.reuseRealms=false} gives every execution a fresh realm, as before decision 0030. */
    private static final boolean REUSE_REALMS = !"false".equals(System.getProperty("thimble.functions.reuseRealms"));
    /**
     * Whether an entry call starts in one crossing into its realm (decision record 0052); {@code
     * -Dthimble.functions.oneCrossing=false} gives the step-by-step calls of decision 0042 (for A/B measurements).
     */
    final boolean oneCrossing = !"false".equals(System.getProperty("thimble.functions.oneCrossing"));
    final AppModel app;
    final Map<String, CompiledFunction> functions;
    final Map<String, ValueDef> values;
    final String appWire;
    final String environmentJson;
    final String servicesJson;
    final List<FunctionProblem> problems;
    /** The Engine these sources were parsed on; executions of this set make their Contexts there. */
    final Engine engine;
    /** The modules {@code require} loads: the built-ins and the app's {@code functions/node_modules}. */
    final ModuleSources modules;
    /** Load every function into each Context before the entry call (a debugger is attached). */
    final boolean evaluateUpFront;
    /** Where a function patches a shared built-in ({@link BuiltInPatches}), or null: then realms are reused. */
    final String builtInPatch;
    /**
     * What the built-in-patch scan found in each function (its source and run-as script), "" for nothing: a
     * reload scans only the functions whose sources changed (an app of 500 functions rescanned them all).
     */
    private final Map<String, String> scans;
    /** The realms executions of this version run in (decision record 0030). */
    final RealmPool realms;

    private FunctionSet(AppModel app, Map<String, CompiledFunction> functions, AppInfo appInfo, Engine engine,
                        boolean evaluateUpFront, ModuleFiles moduleFiles, FunctionSet previous) {
        this.app = app;
        this.modules = new ModuleSources(moduleFiles);
        this.engine = engine;
        this.evaluateUpFront = evaluateUpFront;
        this.functions = Collections.unmodifiableMap(functions);
        Map<String, ValueDef> valueMap = new LinkedHashMap<>();
        app.values().forEach(v -> valueMap.put(v.name(), v));
        this.values = Collections.unmodifiableMap(valueMap);
        this.appWire = Wire.toWire(appInfo.toBson());
        this.environmentJson = environmentJson(app);
        this.servicesJson = servicesJson(app);
        List<FunctionProblem> found = new ArrayList<>();
        functions.values().forEach(f -> {
            if (f.problem() != null) {
                found.add(f.problem());
            }
        });
        this.problems = List.copyOf(found);
        this.scans = scans(functions, previous);
        this.builtInPatch = builtInPatch(functions, scans);
        boolean reuse = REUSE_REALMS && !evaluateUpFront && builtInPatch == null && !JsRuntime.isDebugEngine(engine);
        this.realms = new RealmPool(this, reuse, RealmPool.MAX_IDLE);
        if (builtInPatch != null) {
            org.slf4j.LoggerFactory.getLogger(FunctionSet.class).info("Function {} changes a built-in object shared by "
                    + "all calls; each call of this app version runs in a fresh JavaScript realm (slower; decision 0030)", builtInPatch);
        }
    }

    /** The scan of each function: carried over from {@code previous} for a function whose parsed sources it shares. */
    private static Map<String, String> scans(Map<String, CompiledFunction> functions, FunctionSet previous) {
        Map<String, String> scans = new java.util.HashMap<>();
        for (CompiledFunction f : functions.values()) {
            CompiledFunction before = previous == null ? null : previous.functions.get(f.name());
            String known = before == null || before.source() != f.source() || before.runAsScript() != f.runAsScript()
                    ? null : previous.scans.get(f.name());
            scans.put(f.name(), known != null ? known : BuiltInPatches.find(f.def().source())
                    .or(() -> BuiltInPatches.find(f.runAsScriptText())).orElse(""));
        }
        return scans;
    }

    private static String builtInPatch(Map<String, CompiledFunction> functions, Map<String, String> scans) {
        for (CompiledFunction f : functions.values()) {
            String found = scans.get(f.name());
            if (!found.isEmpty()) {
                return f.name() + " (`" + found + "`)";
            }
        }
        return null;
    }

    /** A copy of {@code base} with other functions (the console's snippet added); everything else is shared. */
    private FunctionSet(FunctionSet base, Map<String, CompiledFunction> functions) {
        this.app = base.app;
        this.functions = Collections.unmodifiableMap(functions);
        this.values = base.values;
        this.appWire = base.appWire;
        this.environmentJson = base.environmentJson;
        this.servicesJson = base.servicesJson;
        this.problems = base.problems;
        this.engine = base.engine;
        this.modules = base.modules;
        this.evaluateUpFront = base.evaluateUpFront;
        this.builtInPatch = base.builtInPatch;
        this.scans = base.scans;
        // ad-hoc console code may change anything: it never runs in, or leaves behind, a shared realm
        this.realms = new RealmPool(this, false, 0);
    }

    /** The console's ad-hoc code runs under this name: no app function can have it. */
    static final String SNIPPET_NAME = "console:snippet";

    /**
     * This set plus {@code source} as the private function {@link #SNIPPET_NAME} (parsed now; a syntax
     * error becomes the function's problem, reported when it runs).
     */
    FunctionSet withSnippet(String source, URI sourceRoot, AtomicLong parses) {
        String path = "console/snippet.js";
        dev.thimble.runtime.app.Json config = dev.thimble.runtime.app.Json.empty().with("name", SNIPPET_NAME)
                .with("private", com.fasterxml.jackson.databind.node.BooleanNode.TRUE);
        FunctionDef def = new FunctionDef(config, source);
        Source compiled = JsRuntime.functionSource(path, JsRuntime.uri(sourceRoot, path), source);
        Context checker = JsRuntime.newContext(engine, 0);
        FunctionProblem problem;
        try {
            problem = parse(checker, compiled, SNIPPET_NAME, path, parses);
        } finally {
            checker.close();
        }
        Map<String, CompiledFunction> all = new LinkedHashMap<>(functions);
        all.put(SNIPPET_NAME, new CompiledFunction(def, compiled, null, canEvaluate(def), problem));
        return new FunctionSet(this, all);
    }

    CompiledFunction get(String name) {
        return functions.get(name);
    }

    /**
     * Compiles {@code app}'s functions, reusing from {@code previous} every function whose source
     * and run-as script are unchanged; only new or changed sources are parsed.
     */
    static FunctionSet load(AppModel app, FunctionSet previous, Engine engine, URI sourceRoot, AppInfo appInfo,
                            AtomicLong parses) {
        return load(app, previous, engine, sourceRoot, appInfo, parses, previous != null && previous.evaluateUpFront,
                previous == null ? ModuleFiles.NONE : previous.modules.resolver().app());
    }

    /** As above; a {@code previous} set from another Engine is not reused (its parses do not carry over). */
    static FunctionSet load(AppModel app, FunctionSet previous, Engine engine, URI sourceRoot, AppInfo appInfo,
                            AtomicLong parses, boolean evaluateUpFront, ModuleFiles moduleFiles) {
        if (previous != null && previous.engine != engine) {
            previous = null;
        }
        Map<String, CompiledFunction> compiled = new LinkedHashMap<>();
        Context checker = null;
        try {
            List<FunctionDef> defs = new ArrayList<>(app.functions());
            Map<String, String> paths = new java.util.HashMap<>();
            for (ServiceDef service : app.services()) {
                for (dev.thimble.runtime.app.WebhookDef hook : service.webhooks()) {
                    // the webhook's own config (run_as_*, can_evaluate) drives the engine as a private function's would
                    ObjectNode config = hook.config().object().deepCopy();
                    String name = WEBHOOK_PREFIX + service.name() + "/" + hook.name();
                    config.put("name", name).put("private", true);
                    // the webhook service checks can_evaluate (for system callers too) and resolves run_as_user_id (with custom data)
                    config.remove("can_evaluate");
                    config.remove("run_as_user_id");
                    defs.add(new FunctionDef(dev.thimble.runtime.app.Json.of(config), hook.source() == null ? "" : hook.source()));
                    paths.put(name, "services/" + service.name() + "/incoming_webhooks/" + hook.name() + "/source.js");
                }
            }
            for (FunctionDef def : defs) {
                String sourcePath = paths.getOrDefault(def.name(), def.sourcePath());
                CompiledFunction before = previous == null ? null : previous.get(def.name());
                String script = def.config().text("run_as_user_id_script_source", "");
                BsonDocument canEvaluate = canEvaluate(def);
                if (before != null && before.def().source().equals(def.source()) && before.runAsScriptText().equals(script)) {
                    compiled.put(def.name(), new CompiledFunction(def, before.source(), before.runAsScript(), canEvaluate, before.problem()));
                    continue;
                }
                if (checker == null) {
                    checker = JsRuntime.newContext(engine, 0);
                }
                Source source = JsRuntime.functionSource(sourcePath, JsRuntime.uri(sourceRoot, sourcePath), def.source());
                FunctionProblem problem = parse(checker, source, def.name(), sourcePath, parses);
                Source scriptSource = null;
                if (!script.isBlank()) {
                    String path = "functions/" + def.name() + "/run_as_user_id_script_source.js";
                    scriptSource = JsRuntime.scriptSource(path, JsRuntime.uri(sourceRoot, path), script);
                    FunctionProblem scriptProblem = parse(checker, scriptSource, def.name(), path, parses);
                    problem = problem != null ? problem : scriptProblem;
                }
                compiled.put(def.name(), new CompiledFunction(def, source, scriptSource, canEvaluate, problem));
            }
        } finally {
            if (checker != null) {
                checker.close();
            }
        }
        return new FunctionSet(app, compiled, appInfo, engine, evaluateUpFront, moduleFiles, previous);
    }

    private static FunctionProblem parse(Context checker, Source source, String name, String path, AtomicLong parses) {
        parses.incrementAndGet();
        try {
            checker.parse(source);
            return null;
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) {
                throw e;
            }
            int line = e.getSourceLocation() == null ? 0 : e.getSourceLocation().getStartLine();
            return new FunctionProblem(name, path, line, e.getMessage());
        }
    }

    private static BsonDocument canEvaluate(FunctionDef def) {
        JsonNode node = def.config().get("can_evaluate");
        if (node == null || node.isNull() || (node instanceof ObjectNode object && object.isEmpty())) {
            return null;
        }
        if (node instanceof ObjectNode) {
            return BsonDocument.parse(node.toString());
        }
        return new BsonDocument("$expression", BsonDocument.parse("{\"v\":" + node + "}").get("v"));
    }

    private static String environmentJson(AppModel app) {
        String tag = app.environmentTag();
        EnvironmentDef env = app.environments().stream()
                .filter(e -> e.tag().equals(tag) || (tag.isEmpty() && e.tag().equals("no-environment")))
                .findFirst().orElse(null);
        String values = env == null ? "{}" : env.values().toString();
        return "{\"tag\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(tag) + ",\"values\":" + values + "}";
    }

    private static String servicesJson(AppModel app) {
        ObjectNode types = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (ServiceDef service : app.services()) {
            types.put(service.name(), service.type());
        }
        return types.toString();
    }
}
