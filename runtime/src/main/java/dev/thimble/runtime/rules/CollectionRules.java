package dev.thimble.runtime.rules;

import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.rules.Decision.Clause;
import dev.thimble.runtime.rules.Decision.FieldRejection;
import dev.thimble.runtime.rules.Decision.FilterDecision;
import dev.thimble.runtime.rules.Decision.Outcome;
import dev.thimble.runtime.rules.Decision.Reason;
import dev.thimble.runtime.rules.Decision.RoleTrial;
import dev.thimble.runtime.rules.Decision.SchemaViolation;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The compiled rules of one namespace (STITCH-SPEC §2A/§2B): its own rule, the data source's default
 * rule, or none (every non-system request denied). Built once per app version; thread-safe.
 *
 * <p><b>System callers.</b> Every public method starts with the same check: a
 * {@link RuleContext#system()} caller is allowed at once with reason {@link Reason#SYSTEM}, and no
 * rule, filter or schema is evaluated. This is the one place rules are bypassed.
 *
 * <p><b>Roles</b> are tried in order, the first whose {@code apply_when} holds applies. What
 * {@code %%root} is while choosing: the stored document for reads, updates and deletes; the new
 * document for inserts. Write permissions see {@code %%root} = the document after the write and
 * {@code %%prevRoot} = before (missing on insert); field rules also see {@code %%this}/{@code %%prev}.
 */
public final class CollectionRules {
    /** Where the rules of a namespace came from. */
    public enum Source { COLLECTION, DEFAULT, NONE }

    private static final Document MATCH_NOTHING = new Document("_id", new Document("$in", List.of()));
    private static final ExpressionCompiler COMPILER = ExpressionCompiler.forMongoRules();

    private final String namespace;
    private final Source source;
    private final List<Role> roles;
    private final List<Filter> filters;
    private final Schema schema;

    private record Filter(String name, int index, CompiledExpression applyWhen, Val query, Document projection,
                          Projections.Kind kind) { }

    private CollectionRules(String namespace, Source source, List<Role> roles, List<Filter> filters, Schema schema) {
        this.namespace = namespace;
        this.source = source;
        this.roles = roles;
        this.filters = filters;
        this.schema = schema;
    }

    /** Compiles a collection's own rule file. @throws RuleCompileException naming the namespace and the place in the rule */
    public static CollectionRules compile(CollectionRuleDef rule) {
        return compile(rule.namespace(), Source.COLLECTION, rule.config());
    }

    /** Compiles a data source's {@code default_rule.json} ({@code roles}, {@code filters}) for one namespace. */
    public static CollectionRules compileDefault(String namespace, Json defaultRule) {
        return compile(namespace, Source.DEFAULT, defaultRule);
    }

    /** A namespace with no rule and no default rule: every non-system request is denied. */
    public static CollectionRules none(String namespace) {
        return new CollectionRules(namespace, Source.NONE, List.of(), List.of(), null);
    }

    /** The same compiled rules serving another namespace (a default rule is shared by all unconfigured collections). */
    CollectionRules forNamespace(String otherNamespace) {
        return new CollectionRules(otherNamespace, source, roles, filters, schema);
    }

    /** Whether this rule names any role (a rule without roles takes the data source's default roles). */
    boolean hasRoles() {
        return !roles.isEmpty();
    }

    /**
     * The default rule serving a collection whose own rule has no roles: the default's roles, the
     * collection's own filters if it has any (else the default's), and the collection's own schema.
     */
    CollectionRules withSchemaOf(CollectionRules own) {
        return new CollectionRules(own.namespace, Source.DEFAULT, roles, own.filters.isEmpty() ? filters : own.filters, own.schema);
    }

    private static CollectionRules compile(String namespace, Source source, Json config) {
        return compile(namespace, source, Document.parse(config.toString()));
    }

    /** Compiles a rule already parsed into BSON (Extended JSON honoured). */
    static CollectionRules compile(String namespace, Source source, Document rule) {
        try {
            List<Role> roles = new ArrayList<>();
            Object rolesJson = rule.get("roles");
            if (rolesJson != null && !(rolesJson instanceof List<?>)) {
                throw new RuleCompileException("roles", "roles is an array");
            }
            List<?> roleList = rolesJson == null ? List.of() : (List<?>) rolesJson;
            for (int i = 0; i < roleList.size(); i++) {
                roles.add(role(roleList.get(i), i));
            }
            List<Filter> filters = new ArrayList<>();
            Object filtersJson = rule.get("filters");
            if (filtersJson != null && !(filtersJson instanceof List<?>)) {
                throw new RuleCompileException("filters", "filters is an array");
            }
            List<?> filterList = filtersJson == null ? List.of() : (List<?>) filtersJson;
            for (int i = 0; i < filterList.size(); i++) {
                filters.add(filter(filterList.get(i), i));
            }
            Schema schema = source == Source.COLLECTION ? Schema.compile(rule.get("schema"), "schema") : null;
            return new CollectionRules(namespace, source, List.copyOf(roles), List.copyOf(filters), schema);
        } catch (RuleCompileException e) {
            throw new RuleCompileException((source == Source.DEFAULT ? "default_rule.json" : namespace) + " " + e.rulePath(), e.detail());
        }
    }

    private static Role role(Object json, int index) {
        String path = "roles[" + index + "]";
        if (!(json instanceof Map<?, ?> map)) {
            throw new RuleCompileException(path, "a role is an object");
        }
        String name = map.get("name") instanceof String s ? s : "#" + index;
        CompiledExpression applyWhen = COMPILER.compile(map.containsKey("apply_when") ? map.get("apply_when") : new Document(),
                path + ".apply_when");
        CompiledExpression filterRead = null;
        CompiledExpression filterWrite = null;
        Object documentFilters = map.get("document_filters");
        if (documentFilters instanceof Map<?, ?> df) {
            filterRead = optional(df.get("read"), path + ".document_filters.read");
            filterWrite = optional(df.get("write"), path + ".document_filters.write");
        } else if (documentFilters != null) {
            throw new RuleCompileException(path + ".document_filters", "document_filters is {\"read\": …, \"write\": …}");
        }
        CompiledExpression insert = map.get("insert") == null ? COMPILER.compile(true, path + ".insert")
                : COMPILER.compile(map.get("insert"), path + ".insert");
        CompiledExpression delete = map.get("delete") == null ? COMPILER.compile(true, path + ".delete")
                : COMPILER.compile(map.get("delete"), path + ".delete");
        Role.Scope scope = new Role.Scope(optional(map.get("read"), path + ".read"), optional(map.get("write"), path + ".write"),
                fields(map.get("fields"), path + ".fields"), additional(map.get("additional_fields"), path + ".additional_fields"));
        return new Role(name, index, applyWhen, filterRead, filterWrite, insert, delete, scope);
    }

    private static CompiledExpression optional(Object json, String path) {
        return json == null ? null : COMPILER.compile(json, path);
    }

    private static Map<String, Role.Scope> fields(Object json, String path) {
        if (json == null) {
            return Map.of();
        }
        if (!(json instanceof Map<?, ?> map)) {
            throw new RuleCompileException(path, "fields is an object of {\"read\", \"write\", \"fields\"} by field name");
        }
        Map<String, Role.Scope> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            out.put(name, scope(entry.getValue(), path + "." + name));
        }
        return out;
    }

    private static Role.Scope additional(Object json, String path) {
        return json == null ? null : scope(json, path);
    }

    private static Role.Scope scope(Object json, String path) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new RuleCompileException(path, "a field permission is {\"read\": …, \"write\": …}");
        }
        return new Role.Scope(optional(map.get("read"), path + ".read"), optional(map.get("write"), path + ".write"),
                fields(map.get("fields"), path + ".fields"), additional(map.get("additional_fields"), path + ".additional_fields"));
    }

    private static Filter filter(Object json, int index) {
        String path = "filters[" + index + "]";
        if (!(json instanceof Map<?, ?> map)) {
            throw new RuleCompileException(path, "a filter is an object");
        }
        String name = map.get("name") instanceof String s ? s : "#" + index;
        CompiledExpression applyWhen = COMPILER.compile(map.containsKey("apply_when") ? map.get("apply_when") : new Document(),
                path + ".apply_when");
        Object queryJson = map.get("query") == null ? new Document() : map.get("query");
        if (!(queryJson instanceof Map<?, ?>)) {
            throw new RuleCompileException(path + ".query", "a filter query is an object");
        }
        Val query = COMPILER.value(queryJson, path + ".query");
        Object projectionJson = map.get("projection");
        if (projectionJson != null && !(projectionJson instanceof Map<?, ?>)) {
            throw new RuleCompileException(path + ".projection", "a filter projection is an object");
        }
        Document projection = projectionJson == null ? new Document() : new Document(castMap(projectionJson));
        Projections.Kind kind = Projections.kind(projection);
        if (kind == null) {
            throw new RuleCompileException(path + ".projection", "a projection either includes or excludes fields (besides _id), not both");
        }
        return new Filter(name, index, applyWhen, query, projection, kind);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    public String namespace() {
        return namespace;
    }

    public Source source() {
        return source;
    }

    // ---- queries -------------------------------------------------------------------------------

    /**
     * Applies the filters whose {@code apply_when} holds (evaluated without {@code %%root}): their
     * queries are ANDed with the caller's and their projections merged into the caller's.
     *
     * @throws RuleEvaluationException when inclusive and exclusive filter projections both apply,
     *                                 or a filter's {@code %function} fails
     */
    public QueryPlan planQuery(RuleContext ctx, Document query, Document projection) {
        if (ctx.system) {
            return new QueryPlan(true, query, projection, List.of(), false, system(Action.QUERY));
        }
        if (source == Source.NONE) {
            return new QueryPlan(false, query, projection, List.of(), false, noRules(Action.QUERY));
        }
        try {
            RuleContext noRoot = ctx.withRootValues(Values.MISSING, Values.MISSING);
            List<FilterDecision> decisions = new ArrayList<>(filters.size());
            List<Object> parts = new ArrayList<>();
            if (query != null && !query.isEmpty()) {
                parts.add(query);
            }
            List<Projections.Applied> projections = new ArrayList<>();
            for (Filter filter : filters) {
                Clause failure = filter.applyWhen.failure(noRoot);
                if (failure != null) {
                    decisions.add(new FilterDecision(filter.name, false, failure, false));
                    continue;
                }
                Object evaluated = filter.query.eval(noRoot);
                boolean nothing = Values.containsMissing(evaluated);
                // a copy: the query goes to the data layer, and literal parts belong to the compiled rule
                Object filterQuery = nothing ? Values.toExternal(MATCH_NOTHING) : Values.toExternal(evaluated);
                if (!((Map<?, ?>) filterQuery).isEmpty()) {
                    parts.add(filterQuery);
                }
                projections.add(new Projections.Applied(filter.name, filter.projection, filter.kind));
                decisions.add(new FilterDecision(filter.name, true, null, nothing));
            }
            Document finalQuery = parts.isEmpty() ? (query == null ? new Document() : query)
                    : parts.size() == 1 ? (Document) parts.getFirst() : new Document("$and", parts);
            Document finalProjection = Projections.merge(projections, projection, "filters");
            QueryFields fields = QueryFields.of(query);
            Decision decision = new Decision(namespace, Action.QUERY, Outcome.ALLOWED, Reason.RULES, null, null,
                    decisions, null, null, null, null, null);
            return new QueryPlan(true, finalQuery, finalProjection, fields.paths(), fields.opaque(), decision);
        } catch (RuleEvaluationException e) {
            throw located(e);
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    /** The document as the caller may read it (no query: nothing to check against unreadable fields). */
    public ReadResult applyRead(RuleContext ctx, Document document) {
        return read(ctx, document, QueryFields.NONE, null);
    }

    /**
     * The document as the caller may read it, and invisible when the plan's query names a field the
     * chosen role cannot read in it (a predicate on an unreadable field matches nothing).
     */
    public ReadResult applyRead(RuleContext ctx, Document document, QueryPlan plan) {
        return read(ctx, document, plan.fields(), plan.decision().filters());
    }

    /**
     * True when the plan's query names a field of this document that the role applying to the caller
     * cannot read; such a document does not match (for updates and deletes by query).
     */
    public boolean queryTouchesUnreadableFields(RuleContext ctx, Document document, QueryPlan plan) {
        Decision decision = read(ctx, document, plan.fields(), null).decision();
        return decision.reason() == Reason.QUERY_ON_UNREADABLE_FIELD;
    }

    /** @param filters the filters of the query that found the document, recorded in its decision */
    private ReadResult read(RuleContext ctx, Document document, QueryFields queried, List<FilterDecision> filters) {
        Objects.requireNonNull(document, "document");
        if (ctx.system) {
            return new ReadResult(document, system(Action.READ));
        }
        if (source == Source.NONE) {
            return new ReadResult(null, noRules(Action.READ));
        }
        try {
            RuleContext doc = ctx.withRootValues(document, document);
            Selection selection = select(doc);
            Role role = selection.role;
            if (role == null) {
                return new ReadResult(null, new Decision(namespace, Action.READ, Outcome.DENIED, Reason.NO_ROLE, null,
                        selection.trials, filters, null, null, null, null, null));
            }
            if (role.filterRead != null) {
                Clause failure = role.filterRead.failure(doc);
                if (failure != null && (role.filterWrite == null || !role.filterWrite.expr.test(doc, null))) {
                    return new ReadResult(null, new Decision(namespace, Action.READ, Outcome.DENIED, Reason.DOCUMENT_FILTER,
                            role.name, selection.trials, filters, null, null, null, null, failure));
                }
            }
            if (role.readsEverything) {
                return new ReadResult(document, new Decision(namespace, Action.READ, Outcome.ALLOWED, Reason.RULES,
                        role.name, selection.trials, filters, null, null, null, null, null));
            }
            List<String> removed = new ArrayList<>(0);
            Object readable = role.readable(doc, document, removed);
            if (readable == Values.MISSING) {
                return new ReadResult(null, new Decision(namespace, Action.READ, Outcome.DENIED, Reason.NO_READABLE_FIELDS,
                        role.name, selection.trials, filters, withoutRoot(removed), null, null, null, null));
            }
            if (!queried.paths().isEmpty() || queried.opaque()) {
                List<String> unreadable = unreadableQueried(role, doc, document, queried);
                if (!unreadable.isEmpty()) {
                    return new ReadResult(null, new Decision(namespace, Action.READ, Outcome.DENIED,
                            Reason.QUERY_ON_UNREADABLE_FIELD, role.name, selection.trials, filters, removed, unreadable,
                            null, null, null));
                }
            }
            Outcome outcome = removed.isEmpty() ? Outcome.ALLOWED : Outcome.PARTIAL;
            return new ReadResult((Document) readable, new Decision(namespace, Action.READ, outcome, Reason.RULES,
                    role.name, selection.trials, filters, removed, null, null, null, null));
        } catch (RuleEvaluationException e) {
            throw located(e);
        }
    }

    private static List<String> withoutRoot(List<String> removed) {
        return removed.size() == 1 && removed.getFirst().isEmpty() ? List.of() : removed;
    }

    /**
     * The queried paths the role cannot read, decided by name: whether the document has the field, and
     * what it holds, play no part, so {@code {ssn: {$exists: false}}}, {@code {ssn: null}}, {@code $not}
     * and {@code $nor} on a hidden field all match nothing alike. An opaque clause ($where, $expr, ...)
     * can read any field: it matches only where the role hides nothing.
     */
    private static List<String> unreadableQueried(Role role, RuleContext doc, Document document, QueryFields queried) {
        if (queried.opaque() && !role.hidesNothing(doc, document)) {
            return List.of("(a $where/$expr/$jsonSchema/$text/$function clause)");
        }
        List<String> out = new ArrayList<>();
        for (String path : queried.paths()) {
            if (!role.readableByName(doc, document, path)) {
                out.add(path);
            }
        }
        return out;
    }

    private static String withoutIndexes(String path) {
        if (path.indexOf('.') < 0) {
            return path;
        }
        StringBuilder b = new StringBuilder(path.length());
        for (String segment : path.split("\\.")) {
            if (Values.arrayIndex(segment) < 0 && !segment.equals("$")) {
                b.append(b.isEmpty() ? "" : ".").append(segment);
            }
        }
        return b.toString();
    }

    // ---- writes --------------------------------------------------------------------------------

    /** An insert: the role is chosen on the new document; %%prevRoot is missing. */
    public WriteCheck checkInsert(RuleContext ctx, Document document) {
        Objects.requireNonNull(document, "document");
        if (ctx.system) {
            return new WriteCheck(system(Action.INSERT));
        }
        if (source == Source.NONE) {
            return new WriteCheck(noRules(Action.INSERT));
        }
        try {
            RuleContext doc = ctx.withRootValues(document, Values.MISSING);
            Selection selection = select(doc);
            return write(Action.INSERT, selection, doc, null, Values.MISSING, document, List.of());
        } catch (RuleEvaluationException e) {
            throw located(e);
        }
    }

    /** An update: the role is chosen on the stored document ({@code before}); the write is judged on {@code after}. */
    public WriteCheck checkUpdate(RuleContext ctx, Document before, Document after) {
        return update(Action.UPDATE, ctx, before, after, List.of());
    }

    /** A replacement, judged as an update to the whole document. */
    public WriteCheck checkReplace(RuleContext ctx, Document before, Document after) {
        return update(Action.REPLACE, ctx, before, after, List.of());
    }

    /**
     * An update or replacement whose request names {@code named} (see {@link #checkNames}): besides every
     * field it changes, every named field must be writable on the after-image even when its value stays.
     */
    public WriteCheck checkWrite(Action action, RuleContext ctx, Document before, Document after, List<String> named) {
        if (action != Action.UPDATE && action != Action.REPLACE) {
            throw new IllegalArgumentException("checkWrite judges updates and replacements, not " + action);
        }
        return update(action, ctx, before, after, named);
    }

    /**
     * The named paths the role that applies to {@code stored} cannot read, decided by name: an error of
     * the database while applying a write to them (a type mismatch) is answered as a refusal of those
     * fields, so it cannot tell the caller what a hidden field holds. Allowed when there are none.
     */
    public WriteCheck refuseUnreadable(RuleContext ctx, Action action, Document stored, List<String> named) {
        if (ctx.system || source == Source.NONE) {
            return new WriteCheck(ctx.system ? system(action) : noRules(action));
        }
        try {
            RuleContext doc = ctx.withRootValues(stored, stored);
            Selection selection = select(doc);
            if (selection.role == null) {
                return new WriteCheck(denied(action, Reason.NO_ROLE, selection, null));
            }
            List<FieldRejection> rejected = new ArrayList<>(0);
            for (String path : named) {
                if (!selection.role.readableByName(doc, stored, path)) {
                    rejected.add(new FieldRejection(path, null));
                }
            }
            Outcome outcome = rejected.isEmpty() ? Outcome.ALLOWED : Outcome.DENIED;
            return new WriteCheck(new Decision(namespace, action, outcome, rejected.isEmpty() ? Reason.RULES : Reason.FIELDS_NOT_WRITABLE,
                    selection.role.name, selection.trials, null, null, null, rejected.isEmpty() ? null : rejected, null, null));
        } catch (RuleEvaluationException e) {
            throw located(e);
        }
    }

    private WriteCheck update(Action action, RuleContext ctx, Document before, Document after, List<String> named) {
        Objects.requireNonNull(before, "before (an upsert that inserts is checked with checkInsert)");
        Objects.requireNonNull(after, "after");
        if (ctx.system) {
            return new WriteCheck(system(action));
        }
        if (source == Source.NONE) {
            return new WriteCheck(noRules(action));
        }
        try {
            RuleContext stored = ctx.withRootValues(before, before);
            Selection selection = select(stored);
            return write(action, selection, ctx.withRootValues(after, before), stored, before, after, named);
        } catch (RuleEvaluationException e) {
            throw located(e);
        }
    }

    /** A delete: every field of the document must be writable, then the role's {@code delete} must hold. */
    public WriteCheck checkDelete(RuleContext ctx, Document document) {
        Objects.requireNonNull(document, "document");
        if (ctx.system) {
            return new WriteCheck(system(Action.DELETE));
        }
        if (source == Source.NONE) {
            return new WriteCheck(noRules(Action.DELETE));
        }
        try {
            RuleContext doc = ctx.withRootValues(document, document);
            Selection selection = select(doc);
            return write(Action.DELETE, selection, doc, null, document, Values.MISSING, List.of());
        } catch (RuleEvaluationException e) {
            throw located(e);
        }
    }

    /**
     * The one write check by field NAME, run before any after-image is computed: every path the write
     * names must be writable by the role that applies to {@code stored} (its permissions evaluated on
     * the document as it stands), whether or not the write would change its value; a role that can
     * write nothing refuses every write; a replace or delete ({@code wholeDocument}) also needs a
     * role that hides nothing in the document, since it rewrites or removes fields the caller
     * cannot see. The check of the after-image ({@link #checkUpdate}, {@link #checkReplace},
     * {@link #checkDelete}) still follows; after this one it only judges fields the caller can read.
     *
     * @param action {@code UPDATE}, {@code REPLACE}, {@code DELETE}, or {@code INSERT} for an upsert
     *               that inserts ({@code stored} is then the document it would insert)
     * @param paths  the paths the write names (update operators' fields, a replacement's fields)
     */
    public WriteCheck checkNames(RuleContext ctx, Action action, Document stored, List<String> paths, boolean wholeDocument) {
        Objects.requireNonNull(stored, "stored");
        if (ctx.system) {
            return new WriteCheck(system(action));
        }
        if (source == Source.NONE) {
            return new WriteCheck(noRules(action));
        }
        try {
            RuleContext doc = action == Action.INSERT ? ctx.withRootValues(stored, Values.MISSING) : ctx.withRootValues(stored, stored);
            Selection selection = select(doc);
            Role role = selection.role;
            if (role == null) {
                return new WriteCheck(denied(action, Reason.NO_ROLE, selection, null));
            }
            if (role.writesEverything) {
                return new WriteCheck(new Decision(namespace, action, Outcome.ALLOWED, Reason.RULES, role.name, selection.trials,
                        null, null, null, null, null, null));
            }
            List<FieldRejection> rejected = new ArrayList<>(0);
            if (role.writesNothing) {
                for (String path : paths) {
                    rejected.add(new FieldRejection(path, null));
                }
                if (rejected.isEmpty()) {
                    rejected.add(new FieldRejection(EVERY_FIELD, null));
                }
            } else {
                for (String path : paths) {
                    FieldRejection r = role.writableByName(doc, stored, stored, path, true);
                    if (r != null) {
                        rejected.add(r);
                    }
                }
                if (wholeDocument && !role.hidesNothing(doc, stored)) {
                    rejected.add(new FieldRejection(HIDDEN_FIELDS, null));
                }
            }
            if (!rejected.isEmpty()) {
                return new WriteCheck(new Decision(namespace, action, Outcome.DENIED, Reason.FIELDS_NOT_WRITABLE, role.name,
                        selection.trials, null, null, null, rejected, null, null));
            }
            return new WriteCheck(new Decision(namespace, action, Outcome.ALLOWED, Reason.RULES, role.name, selection.trials,
                    null, null, null, null, null, null));
        } catch (RuleEvaluationException e) {
            throw located(e);
        }
    }

    /** The field name a rejection carries when a role may write no field at all. */
    public static final String EVERY_FIELD = "(every field)";
    /** The field name a rejection carries when a replace or delete would touch fields the role hides. */
    public static final String HIDDEN_FIELDS = "(fields this role cannot read)";

    /**
     * The common write path: document filter, field permissions, then insert/delete, then schema.
     *
     * @param stored for updates, the context with %%root = the stored document: the document filter must hold on it too
     */
    private WriteCheck write(Action action, Selection selection, RuleContext doc, RuleContext stored, Object before, Object after,
                             List<String> named) {
        Role role = selection.role;
        if (role == null) {
            return new WriteCheck(denied(action, Reason.NO_ROLE, selection, null));
        }
        if (role.filterWrite != null) {
            Clause failure = stored == null ? null : role.filterWrite.failure(stored);
            if (failure == null) {
                failure = role.filterWrite.failure(doc);
            }
            if (failure != null) {
                return new WriteCheck(denied(action, Reason.DOCUMENT_FILTER, selection, failure));
            }
        }
        List<FieldRejection> rejected = List.of();
        if (!role.writesEverything) {
            rejected = new ArrayList<>(0);
            role.checkWrite(doc, before, after, named, rejected);
        }
        if (!rejected.isEmpty()) {
            return new WriteCheck(new Decision(namespace, action, Outcome.DENIED, Reason.FIELDS_NOT_WRITABLE, role.name,
                    selection.trials, null, null, null, rejected, null, null));
        }
        CompiledExpression permission = action == Action.INSERT ? role.insert : action == Action.DELETE ? role.delete : null;
        if (permission != null) {
            Clause failure = permission.failure(doc);
            if (failure != null) {
                Reason reason = action == Action.INSERT ? Reason.INSERT_NOT_ALLOWED : Reason.DELETE_NOT_ALLOWED;
                return new WriteCheck(denied(action, reason, selection, failure));
            }
        }
        if (schema != null && after != Values.MISSING) {
            List<SchemaViolation> violations = schema.validate(after);
            if (!violations.isEmpty()) {
                return new WriteCheck(new Decision(namespace, action, Outcome.DENIED, Reason.SCHEMA_INVALID, role.name,
                        selection.trials, null, null, null, null, violations, null));
            }
        }
        return new WriteCheck(new Decision(namespace, action, Outcome.ALLOWED, Reason.RULES, role.name, selection.trials,
                null, null, null, null, null, null));
    }

    // ---- roles and decisions -------------------------------------------------------------------

    private record Selection(Role role, List<RoleTrial> trials) { }

    private Selection select(RuleContext doc) {
        RoleTrial[] trials = null;
        for (int i = 0; i < roles.size(); i++) {
            Role role = roles.get(i);
            Clause failure = role.applyWhen.failure(doc);
            if (failure == null) {
                RoleTrial matched = new RoleTrial(role.name, i, true, null);
                if (trials == null) {
                    return new Selection(role, List.of(matched));
                }
                trials[i] = matched;
                return new Selection(role, List.of(Arrays.copyOf(trials, i + 1)));
            }
            if (trials == null) {
                trials = new RoleTrial[roles.size()];
            }
            trials[i] = new RoleTrial(role.name, i, false, failure);
        }
        return new Selection(null, trials == null ? List.of() : List.of(trials));
    }

    private Decision denied(Action action, Reason reason, Selection selection, Clause failure) {
        return new Decision(namespace, action, Outcome.DENIED, reason, selection.role == null ? null : selection.role.name,
                selection.trials, null, null, null, null, null, failure);
    }

    private Decision system(Action action) {
        return Decision.of(namespace, action, Outcome.ALLOWED, Reason.SYSTEM);
    }

    private Decision noRules(Action action) {
        return Decision.of(namespace, action, Outcome.DENIED, Reason.NO_RULES);
    }

    private RuleEvaluationException located(RuleEvaluationException e) {
        return new RuleEvaluationException(namespace + " " + e.rulePath(), e.detail(), e.getCause() == null ? e : e.getCause());
    }
}
