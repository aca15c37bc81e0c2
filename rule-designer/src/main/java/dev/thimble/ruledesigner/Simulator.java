package dev.thimble.ruledesigner;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.rules.FunctionCaller;
import dev.thimble.runtime.rules.RuleCase;
import dev.thimble.runtime.rules.RuleCaseResult;
import dev.thimble.runtime.rules.RuleCaseRunner;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs {@link SimulationCase}s through the runtime's own rules engine, exactly as
 * {@code thimble rules eval} does ({@link RuleCaseRunner}): nothing here evaluates a rule itself.
 * A simulator serves one version of the rules; {@link #with} gives one for an unsaved edit.
 * Thread-safe when the function callers are.
 */
public final class Simulator {
    private static final Set<Decision.Reason> NO_WRITE_AT_ALL = Set.of(Decision.Reason.NO_ROLE, Decision.Reason.NO_RULES,
            Decision.Reason.DOCUMENT_FILTER);

    private final AppModel app;
    private final Map<String, ?> values;
    private final Map<String, ?> environmentValues;
    private final Function<Principal, FunctionCaller> functions;
    private final RuleCaseRunner runner;

    /**
     * @param values            {@code %%values} as the server resolves them (secrets included)
     * @param environmentValues {@code %%environment.values}
     * @param functions         how {@code %function} runs for a user
     * @throws DesignException when a rule of the app does not compile
     */
    public Simulator(AppModel app, Map<String, ?> values, Map<String, ?> environmentValues, Function<Principal, FunctionCaller> functions) {
        this.app = app;
        this.values = values;
        this.environmentValues = environmentValues;
        this.functions = functions;
        try {
            this.runner = RuleCaseRunner.forApp(app, values, environmentValues, functions);
        } catch (dev.thimble.runtime.rules.RuleCompileException e) {
            throw new DesignException(e.rulePath(), e.detail());
        }
    }

    /** The same app with {@code design} as its namespace's rule in {@code service}: the rules an unsaved edit would serve. */
    public Simulator with(String service, RuleDesign design) {
        return new Simulator(AppWithRule.of(app, service, design.toRuleDef()), values, environmentValues, functions);
    }

    public AppModel app() {
        return app;
    }

    /** The engine's decision for the case, the document as received, and a verdict for each field of the document. */
    public Simulation run(SimulationCase c) {
        RuleCaseResult result = runCase(c, c.action(), c.document(), c.after());
        List<FieldVerdict> fields = c.document() == null ? List.of()
                : c.action() == Action.INSERT ? insertVerdicts(c, result.decision()) : fieldVerdicts(c);
        Document received = c.action() == Action.READ ? result.visible() : null;
        return new Simulation(c, result.decision(), result.query(), result.projection(), received, fields);
    }

    /** Just the document as {@code user} would receive it from {@code namespace}, or null when invisible. */
    public Document received(Principal user, String service, String namespace, Document document) {
        return runCase(new SimulationCase(user, service, namespace, Action.READ, document, null, null), Action.READ, document, null).visible();
    }

    /**
     * What {@code user} may write on {@code document}: the fields an update may change (each probed
     * with a change of its own, as the field grid does), whether inserting the document is allowed and
     * whether deleting it is.
     */
    public Writes writes(Principal user, String service, String namespace, Document document) {
        SimulationCase c = new SimulationCase(user, service, namespace, Action.UPDATE, document, null, null);
        Set<String> writable = new java.util.LinkedHashSet<>();
        for (String path : Paths.of(document)) {
            Decision d = runCase(c, Action.UPDATE, document, Paths.changed(document, path)).decision();
            if (!NO_WRITE_AT_ALL.contains(d.reason())
                    && d.fieldsRejected().stream().noneMatch(r -> r.field().equals(path) || path.startsWith(r.field() + "."))) {
                writable.add(path);
            }
        }
        boolean insert = runCase(c, Action.INSERT, document, null).decision().allowed();
        boolean delete = runCase(c, Action.DELETE, document, null).decision().allowed();
        return new Writes(java.util.Collections.unmodifiableSet(writable), insert, delete);
    }

    /** What a user may write on one document: the fields an update may change, insert and delete. */
    public record Writes(Set<String> fields, boolean insert, boolean delete) {
    }

    /** Every field path of {@code document}, nested documents' fields as dotted paths after their parent. */
    public static List<String> fieldPaths(Document document) {
        return Paths.of(document);
    }

    /** For an insert, a field is writable when the insert itself did not reject it (the role is chosen on the new document). */
    private List<FieldVerdict> insertVerdicts(SimulationCase c, Decision insert) {
        Document readable = runCase(c, Action.READ, c.document(), null).visible();
        List<String> readablePaths = readable == null ? List.of() : Paths.of(readable);
        List<FieldVerdict> out = new ArrayList<>();
        for (String path : Paths.of(c.document())) {
            boolean writable = !NO_WRITE_AT_ALL.contains(insert.reason())
                    && insert.fieldsRejected().stream().noneMatch(r -> r.field().equals(path) || path.startsWith(r.field() + "."));
            out.add(new FieldVerdict(path, readablePaths.contains(path), writable));
        }
        return out;
    }

    private List<FieldVerdict> fieldVerdicts(SimulationCase c) {
        Document readable = runCase(c, Action.READ, c.document(), null).visible();
        List<String> readablePaths = readable == null ? List.of() : Paths.of(readable);
        List<FieldVerdict> out = new ArrayList<>();
        for (String path : Paths.of(c.document())) {
            Document probe = Paths.changed(c.document(), path);
            Decision d = runCase(c, Action.UPDATE, c.document(), probe).decision();
            boolean writable = !NO_WRITE_AT_ALL.contains(d.reason())
                    && d.fieldsRejected().stream().noneMatch(r -> r.field().equals(path) || path.startsWith(r.field() + "."));
            out.add(new FieldVerdict(path, readablePaths.contains(path), writable));
        }
        return out;
    }

    private RuleCaseResult runCase(SimulationCase c, Action action, Document document, Document after) {
        Document before = null;
        Document doc = document;
        if (action == Action.UPDATE || action == Action.REPLACE) {
            before = document;
            after = after == null ? document : after;
            doc = null;
        } else {
            after = null;
        }
        RuleCase rc = new RuleCase("simulator", c.user(), c.service(), c.database(), c.collection(), action,
                doc, before, after, c.query(), null, Map.of(), Map.of(), null);
        try {
            return runner.run(rc);
        } catch (dev.thimble.runtime.rules.RuleCaseException e) {
            throw new DesignException(e.where(), e.detail());
        }
    }

    /** Field paths of a document and the changes the write probes make. */
    static final class Paths {
        private Paths() {
        }

        /** Every field, nested documents' fields as dotted paths after their parent. */
        static List<String> of(Document document) {
            List<String> out = new ArrayList<>();
            collect("", document, out);
            return out;
        }

        private static void collect(String prefix, Map<?, ?> map, List<String> out) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String path = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
                out.add(path);
                if (e.getValue() instanceof Map<?, ?> nested) {
                    collect(path, nested, out);
                }
            }
        }

        /** A copy of {@code document} with the value at {@code path} changed, keeping its type (an array gains a copy of its last element). */
        static Document changed(Document document, String path) {
            Document copy = (Document) deepCopy(document);
            String[] parts = path.split("\\.");
            Map<String, Object> at = copy;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) at.get(parts[i]);
                at = next;
            }
            String last = parts[parts.length - 1];
            at.put(last, differentValue(at.get(last)));
            return copy;
        }

        static Object deepCopy(Object value) {
            if (value instanceof Map<?, ?> map) {
                Document copy = new Document();
                map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
                return copy;
            }
            if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>(list.size());
                list.forEach(v -> copy.add(deepCopy(v)));
                return copy;
            }
            return value;
        }

        private static Object differentValue(Object v) {
            return switch (v) {
                case null -> "changed";
                case String s -> s + " (changed)";
                case Integer i -> i + 1;
                case Long l -> l + 1;
                case Double d -> d + 1;
                case Boolean b -> !b;
                case Date d -> new Date(d.getTime() + 1000);
                case ObjectId id -> new ObjectId();
                case List<?> list -> {
                    List<Object> more = new ArrayList<>(list);
                    more.add(list.isEmpty() ? "changed" : list.get(list.size() - 1));
                    yield more;
                }
                case Map<?, ?> map -> {
                    Document more = new Document();
                    map.forEach((k, x) -> more.put(String.valueOf(k), x));
                    more.put("changed", true);
                    yield more;
                }
                default -> "changed";
            };
        }
    }
}
