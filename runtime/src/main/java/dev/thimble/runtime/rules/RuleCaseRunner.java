package dev.thimble.runtime.rules;

import dev.thimble.runtime.principal.Principal;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.rules.RuleCase.Expectation;
import dev.thimble.runtime.rules.RuleCaseResult.Mismatch;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Runs {@link RuleCase}s against an app's rules with the real engine ({@link CollectionRules}), no
 * database: rules are compiled once, each case gets its own {@link RuleContext} (the case's user, the
 * app's values with the case's on top, the app's environment). What each action runs:
 * <ul>
 *   <li>{@code query}: {@link CollectionRules#planQuery} (filters; the query and projection that would run);</li>
 *   <li>{@code read}: the plan of the case's query (or {@code {}}), then {@link CollectionRules#applyRead}, then
 *       the merged projection, giving the document the user receives. The query itself is not run against the
 *       document: the roles decide visibility, the filters are reported;</li>
 *   <li>{@code insert}, {@code update}, {@code replace}, {@code delete}: the matching {@code check…} method.</li>
 * </ul>
 * Thread-safe when the function callers are.
 */
public final class RuleCaseRunner {
    private final Map<String, DataSourceRules> services;
    private final Map<String, List<String>> namespaces;
    private final Set<String> withDefaultRule;
    private final Map<String, Object> values;
    private final String environmentTag;
    private final Map<String, Object> environmentValues;
    private final Function<Principal, FunctionCaller> functions;

    private RuleCaseRunner(Map<String, DataSourceRules> services, Map<String, List<String>> namespaces, Set<String> withDefaultRule,
                           Map<String, Object> values, String environmentTag, Map<String, Object> environmentValues,
                           Function<Principal, FunctionCaller> functions) {
        this.services = services;
        this.namespaces = namespaces;
        this.withDefaultRule = withDefaultRule;
        this.values = values;
        this.environmentTag = environmentTag;
        this.environmentValues = environmentValues;
        this.functions = functions;
    }

    /**
     * Compiles the rules of every MongoDB service of {@code app}.
     *
     * @param values            {@code %%values} (secrets resolved as the server would)
     * @param environmentValues {@code %%environment.values}
     * @param functions         how {@code %function} runs for a user (cases can stub results instead)
     * @throws RuleCompileException for a rule that does not compile
     */
    public static RuleCaseRunner forApp(AppModel app, Map<String, ?> values, Map<String, ?> environmentValues,
                                        Function<Principal, FunctionCaller> functions) {
        Map<String, DataSourceRules> services = new LinkedHashMap<>();
        Map<String, List<String>> namespaces = new LinkedHashMap<>();
        Set<String> withDefault = new LinkedHashSet<>();
        for (ServiceDef service : app.services()) {
            if (!service.isMongo()) {
                continue;
            }
            services.put(service.name(), DataSourceRules.compile(service));
            namespaces.put(service.name(), service.collectionRules().stream().map(CollectionRuleDef::namespace).sorted().toList());
            if (service.defaultRule() != null) {
                withDefault.add(service.name());
            }
        }
        return new RuleCaseRunner(services, namespaces, withDefault, Collections.unmodifiableMap(new LinkedHashMap<>(values)),
                app.environmentTag(), Collections.unmodifiableMap(new LinkedHashMap<>(environmentValues)),
                Objects.requireNonNull(functions, "functions"));
    }

    /**
     * Evaluates one case and checks its expectations.
     *
     * @throws RuleCaseException       for an unknown service or a namespace with no rule, or a projection
     *                                 the case runner cannot apply
     * @throws RuleEvaluationException when a rule fails while it runs (e.g. its {@code %function} throws)
     */
    public RuleCaseResult run(RuleCase c) {
        DataSourceRules rules = services.get(c.service());
        if (rules == null) {
            throw new RuleCaseException("service", services.isEmpty()
                    ? "this app has no MongoDB service (services/<name>/config.json with type mongodb-atlas), so it has no rules to test"
                    : "this app has no MongoDB service \"" + c.service() + "\"; its MongoDB services are " + String.join(", ", services.keySet()));
        }
        CollectionRules collection = rules.forNamespace(c.namespace());
        if (collection.source() == CollectionRules.Source.NONE) {
            List<String> known = namespaces.getOrDefault(c.service(), List.of());
            throw new RuleCaseException("namespace", "there is no rule for " + c.namespace() + " in services/" + c.service()
                    + "/rules (and no default_rule.json), so every user request there is denied; "
                    + (known.isEmpty() ? "the service has no rules yet" : "rules exist for " + String.join(", ", known))
                    + ". Check the spelling, or add services/" + c.service() + "/rules/" + c.namespace() + ".json");
        }
        RuleContext ctx = context(c);
        Decision decision;
        Document visible = null;
        Document query = null;
        Document projection = null;
        switch (c.action()) {
            case QUERY -> {
                QueryPlan plan = collection.planQuery(ctx, orEmpty(c.query()), c.projection());
                decision = plan.decision();
                query = plan.query();
                projection = plan.projection();
            }
            case READ -> {
                QueryPlan plan = collection.planQuery(ctx, orEmpty(c.query()), c.projection());
                ReadResult read = collection.applyRead(ctx, c.document(), plan);
                decision = read.decision();
                query = plan.query();
                projection = plan.projection();
                visible = read.visible() ? project(read.document(), projection) : null;
            }
            case INSERT -> decision = collection.checkInsert(ctx, c.document()).decision();
            case UPDATE -> decision = collection.checkUpdate(ctx, c.before(), c.after()).decision();
            case REPLACE -> decision = collection.checkReplace(ctx, c.before(), c.after()).decision();
            case DELETE -> decision = collection.checkDelete(ctx, c.document()).decision();
            default -> throw new IllegalStateException("unhandled action " + c.action());
        }
        List<Mismatch> mismatches = c.expect() == null ? List.of() : check(c.expect(), decision, visible);
        return new RuleCaseResult(c, decision, visible, query, projection, mismatches);
    }

    private RuleContext context(RuleCase c) {
        if (c.isSystem()) {
            return RuleContext.system();
        }
        Map<String, Object> merged = new LinkedHashMap<>(values);
        merged.putAll(c.values());
        FunctionCaller real = functions.apply(c.user());
        FunctionCaller caller = (name, arguments) -> c.functions().containsKey(name) ? c.functions().get(name)
                : real.call(name, arguments);
        return RuleContext.forUser(c.user()).values(merged).environment(environmentTag, environmentValues)
                .functions(caller).build();
    }

    private static Document orEmpty(Document query) {
        return query == null ? new Document() : query;
    }

    // ---- expectations --------------------------------------------------------------------------

    private static List<Mismatch> check(Expectation e, Decision d, Document visible) {
        List<Mismatch> out = new ArrayList<>();
        if (e.outcome() != null && e.outcome() != d.outcome()) {
            out.add(new Mismatch("outcome", e.outcome().name(), d.outcome().name(), List.of()));
        }
        if (e.reason() != null && e.reason() != d.reason()) {
            out.add(new Mismatch("reason", e.reason().name(), d.reason().name(), List.of()));
        }
        if (e.checksRole() && !Objects.equals(e.role(), d.role())) {
            out.add(new Mismatch("role", roleText(e.role()), roleText(d.role()), List.of()));
        }
        if (e.checksVisible()) {
            if (e.visible() == null || visible == null) {
                if (e.visible() != visible) {
                    out.add(new Mismatch("visible", visibleText(e.visible()), visibleText(visible), List.of()));
                }
            } else {
                List<String> details = new ArrayList<>();
                diff("", e.visible(), visible, details);
                if (!details.isEmpty()) {
                    out.add(new Mismatch("visible", visibleText(e.visible()), visibleText(visible), details));
                }
            }
        }
        if (e.fieldsRemoved() != null) {
            setMismatch(out, "fieldsRemoved", e.fieldsRemoved(), d.fieldsRemoved());
        }
        if (e.fieldsRejected() != null) {
            setMismatch(out, "fieldsRejected", e.fieldsRejected(),
                    d.fieldsRejected().stream().map(Decision.FieldRejection::field).toList());
        }
        if (e.filters() != null) {
            setMismatch(out, "filters", e.filters(),
                    d.filters().stream().filter(Decision.FilterDecision::applied).map(Decision.FilterDecision::filter).toList());
        }
        return out;
    }

    private static void setMismatch(List<Mismatch> out, String what, List<String> expected, List<String> actual) {
        Set<String> e = new TreeSet<>(expected);
        Set<String> a = new TreeSet<>(actual);
        if (!e.equals(a)) {
            List<String> details = new ArrayList<>();
            e.stream().filter(x -> !a.contains(x)).forEach(x -> details.add("missing: " + x));
            a.stream().filter(x -> !e.contains(x)).forEach(x -> details.add("not expected: " + x));
            out.add(new Mismatch(what, RuleCaseResult.json(new ArrayList<>(e)), RuleCaseResult.json(new ArrayList<>(a)), details));
        }
    }

    private static String roleText(String role) {
        return role == null ? "no role" : "\"" + role + "\"";
    }

    private static String visibleText(Document document) {
        return document == null ? "nothing (the document is invisible)" : RuleCaseResult.json(document);
    }

    /** One line per path where the documents differ; fields in any order, numbers by value. */
    private static void diff(String path, Object expected, Object actual, List<String> out) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String at = Role.join(path, key);
                if (!a.containsKey(entry.getKey())) {
                    out.add(at + ": expected " + RuleCaseResult.json(entry.getValue()) + ", but it is missing");
                } else {
                    diff(at, entry.getValue(), a.get(entry.getKey()), out);
                }
            }
            for (Map.Entry<?, ?> entry : a.entrySet()) {
                if (!e.containsKey(entry.getKey())) {
                    out.add(Role.join(path, String.valueOf(entry.getKey())) + ": not expected, got "
                            + RuleCaseResult.json(entry.getValue()));
                }
            }
            return;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                out.add((path.isEmpty() ? "(document)" : path) + ": expected " + e.size() + " entries " + RuleCaseResult.json(e)
                        + ", got " + a.size() + " " + RuleCaseResult.json(a));
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                diff(Role.join(path, Integer.toString(i)), e.get(i), a.get(i), out);
            }
            return;
        }
        if (!Values.equal(expected, actual)) {
            out.add(path + ": expected " + RuleCaseResult.json(expected) + ", got " + RuleCaseResult.json(actual));
        }
    }

    // ---- projections ---------------------------------------------------------------------------

    /**
     * A find projection applied to the readable document, as the server applies it: inclusion or
     * exclusion of top-level and dotted paths (through arrays of documents), {@code _id} on or off.
     * Projection operators ({@code $slice}, {@code $elemMatch}, {@code $meta}) are refused.
     */
    static Document project(Document document, Document projection) {
        if (projection == null || projection.isEmpty()) {
            return document;
        }
        Map<String, Boolean> paths = new LinkedHashMap<>();
        flatten("", projection, paths);
        Boolean include = null;
        Boolean id = paths.remove("_id");
        for (Map.Entry<String, Boolean> entry : paths.entrySet()) {
            if (include == null) {
                include = entry.getValue();
            } else if (include != entry.getValue().booleanValue()) {
                throw new RuleCaseException("projection", "a projection either includes or excludes fields (besides _id), not both");
            }
        }
        if (include == null) {
            include = id != null && id;
        }
        if (include) {
            Document out = new Document();
            if (id == null || id) {
                if (document.containsKey("_id")) {
                    out.put("_id", document.get("_id"));
                }
            }
            for (String path : paths.keySet()) {
                copy(document, out, path.split("\\."), 0);
            }
            return out;
        }
        Document out = deepCopy(document);
        if (id != null && !id) {
            out.remove("_id");
        }
        for (String path : paths.keySet()) {
            remove(out, path.split("\\."), 0);
        }
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> projection, Map<String, Boolean> out) {
        for (Map.Entry<?, ?> entry : projection.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.startsWith("$") || key.endsWith(".$")) {
                throw new RuleCaseException("projection", key + " is not supported in rules cases; the server supports $slice,"
                        + " a case checks plain inclusion or exclusion");
            }
            String path = Role.join(prefix, key);
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(path, nested, out);
            } else if (value instanceof Boolean b) {
                out.put(path, b);
            } else if (value instanceof Number n) {
                out.put(path, n.doubleValue() != 0);
            } else {
                throw new RuleCaseException("projection", path + ": use 1 (include) or 0 (exclude), not " + RuleCaseResult.json(value));
            }
        }
    }

    private static void copy(Object from, Document to, String[] path, int i) {
        if (!(from instanceof Map<?, ?> map) || !map.containsKey(path[i])) {
            return;
        }
        Object value = map.get(path[i]);
        if (i == path.length - 1) {
            to.put(path[i], value);
            return;
        }
        if (value instanceof Map<?, ?>) {
            Document child = to.get(path[i]) instanceof Document d ? d : new Document();
            copy(value, child, path, i + 1);
            to.put(path[i], child);
        } else if (value instanceof List<?> list) {
            List<Object> existing = to.get(path[i]) instanceof List<?> l ? castList(l) : null;
            List<Object> out = new ArrayList<>();
            int index = 0;
            for (Object element : list) {
                if (element instanceof Map<?, ?>) {
                    Document child = existing != null && index < existing.size() && existing.get(index) instanceof Document d
                            ? d : new Document();
                    copy(element, child, path, i + 1);
                    out.add(child);
                    index++;
                }
            }
            to.put(path[i], out);
        }
    }

    private static void remove(Object from, String[] path, int i) {
        if (from instanceof List<?> list) {
            list.forEach(element -> remove(element, path, i));
            return;
        }
        if (!(from instanceof Map<?, ?> map)) {
            return;
        }
        if (i == path.length - 1) {
            map.remove(path[i]);
        } else {
            remove(map.get(path[i]), path, i + 1);
        }
    }

    private static Document deepCopy(Document document) {
        return (Document) deepCopyValue(document);
    }

    private static Object deepCopyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Document copy = new Document();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopyValue(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopyValue(v)));
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(List<?> list) {
        return (List<Object>) list;
    }
}
