package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.RuleCompileException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One collection's rule being edited: ordered roles, filters and schema, kept as the rule's own JSON
 * tree so that key order and fields the designer does not know survive every edit. Each edit is
 * applied to a copy, checked with the runtime's own rule compiler, and only then kept; a refused edit
 * throws {@link DesignException} and changes nothing. Not thread-safe: one editor owns it.
 */
public final class RuleDesign {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int MAX_ROLE_NAME = 100;

    private ObjectNode root;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private RuleDesign(ObjectNode root) {
        this.root = root;
    }

    /** The design of a rule as the runtime read it from the bundle. @throws DesignException when it does not compile */
    public static RuleDesign of(CollectionRuleDef rule) {
        ObjectNode node = rule.config().object();
        check(node);
        return new RuleDesign(node);
    }

    /** Parses rule JSON text (the JSON view, a rule file). @throws DesignException saying what is wrong */
    public static RuleDesign parse(String json) {
        ObjectNode node = parseObject(json);
        check(node);
        return new RuleDesign(node);
    }

    /** A new rule for a collection with no roles yet (every user request is denied until a role is added). */
    public static RuleDesign empty(String database, String collection) {
        ObjectNode node = NODES.objectNode();
        node.put("database", database);
        node.put("collection", collection);
        node.putArray("roles");
        node.putArray("filters");
        node.putObject("schema");
        return new RuleDesign(node);
    }

    /** An independent copy (e.g. to hand to a background thread); listeners are not copied. */
    public RuleDesign copy() {
        return new RuleDesign(root.deepCopy());
    }

    /** Told after each kept edit. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    // ---- reading ------------------------------------------------------------------------------

    public String database() { return root.path("database").asText(""); }
    public String collection() { return root.path("collection").asText(""); }
    public String namespace() { return database() + "." + collection(); }

    /** A copy of the whole rule JSON. */
    public ObjectNode toJson() {
        return root.deepCopy();
    }

    /** The rule as the runtime's model. */
    public CollectionRuleDef toRuleDef() {
        return new CollectionRuleDef(Json.of(root));
    }

    /** The rule file's text as the bundle writer prints it (keys in this rule's order). */
    public String toText() {
        return RuleText.print(root);
    }

    public int roleCount() {
        return roles(root).size();
    }

    public List<String> roleNames() {
        List<String> out = new ArrayList<>();
        roles(root).forEach(r -> out.add(r.path("name").asText("")));
        return out;
    }

    /** A copy of one role's JSON. */
    public ObjectNode role(int index) {
        return roleAt(root, index).deepCopy();
    }

    public Expression applyWhen(int role) {
        return Expressions.parse(roleAt(root, role).get("apply_when"));
    }

    /** The permission's JSON, or null when the role does not set it. */
    public JsonNode permission(int role, Permission permission) {
        JsonNode v = roleAt(root, role).get(permission.key());
        return v == null ? null : v.deepCopy();
    }

    /** {@code document_filters.read} or {@code .write}, or null when unset. */
    public Expression documentFilter(int role, String which) {
        JsonNode v = roleAt(root, role).path("document_filters").get(which);
        return v == null ? null : Expressions.parse(v);
    }

    /** Every field the role lists, nested ones as dotted paths, in order (parents before children). */
    public List<FieldRule> fields(int role) {
        List<FieldRule> out = new ArrayList<>();
        collectFields("", roleAt(root, role).get("fields"), out);
        return out;
    }

    /** {@code additional_fields}, or null when unset. */
    public FieldRule additionalFields(int role) {
        JsonNode a = roleAt(root, role).get("additional_fields");
        return a == null || !a.isObject() ? null : new FieldRule("", copy(a.get("read")), copy(a.get("write")));
    }

    public int filterCount() {
        return filters(root).size();
    }

    /** A copy of one filter's JSON ({@code name, apply_when, query, projection}). */
    public ObjectNode filter(int index) {
        return ((ObjectNode) filters(root).get(checkIndex(index, filters(root).size(), "filters"))).deepCopy();
    }

    /** The schema, or an empty object when unset. */
    public JsonNode schema() {
        JsonNode s = root.get("schema");
        return s == null ? NODES.objectNode() : s.deepCopy();
    }

    // ---- roles --------------------------------------------------------------------------------

    /** Adds a role at the end: {@code apply_when {}}, nothing granted. @return its index */
    public int addRole(String name) {
        ObjectNode role = NODES.objectNode();
        role.put("name", name);
        role.putObject("apply_when");
        role.put("insert", false);
        role.put("delete", false);
        role.put("search", false);
        return addRole(role);
    }

    /** Adds a role given as JSON at the end. @return its index */
    public int addRole(ObjectNode role) {
        refuseTakenName(-1, role.path("name").asText(""));
        edit(r -> roles(r).add(role.deepCopy()));
        return roleCount() - 1;
    }

    /** Copies a role right below itself, named "&lt;name&gt; copy" (numbered while taken). @return the copy's index */
    public int duplicateRole(int index) {
        ObjectNode copy = role(index);
        String base = copy.path("name").asText("role") + " copy";
        String name = base;
        for (int n = 2; roleNames().contains(name); n++) {
            name = base + " " + n;
        }
        copy.put("name", name);
        edit(r -> roles(r).insert(index + 1, copy));
        return index + 1;
    }

    /** Moves a role to another place in the order (roles are tried in order: the first that applies wins). */
    public void moveRole(int from, int to) {
        int size = roleCount();
        checkIndex(from, size, "roles");
        checkIndex(to, size, "roles");
        edit(r -> {
            ArrayNode roles = roles(r);
            JsonNode moved = roles.remove(from);
            roles.insert(to, moved);
        });
    }

    public void deleteRole(int index) {
        checkIndex(index, roleCount(), "roles");
        edit(r -> roles(r).remove(index));
    }

    public void renameRole(int index, String name) {
        refuseTakenName(index, name);
        edit(r -> roleAt(r, index).put("name", name));
    }

    /** A new or renamed role may not take another role's name (a rule read from disk may already have duplicates: the linter reports those). */
    private void refuseTakenName(int index, String name) {
        List<String> names = roleNames();
        for (int i = 0; i < names.size(); i++) {
            if (i != index && names.get(i).equals(name)) {
                throw new DesignException("roles[" + (index < 0 ? names.size() : index) + "].name",
                        "another role is already named \"" + name + "\"; give this one a name of its own");
            }
        }
    }

    public void setApplyWhen(int role, Expression expression) {
        edit(r -> putKeepingOrder(roleAt(r, role), "apply_when", expression.toJson()));
    }

    /** Sets a document-level permission; null removes it (read/write unset: the field rules decide; insert/delete unset: true). */
    public void setPermission(int role, Permission permission, JsonNode value) {
        edit(r -> {
            ObjectNode node = roleAt(r, role);
            if (value == null) {
                node.remove(permission.key());
            } else {
                putKeepingOrder(node, permission.key(), value);
            }
        });
    }

    /** Sets {@code document_filters.read} or {@code .write} ({@code which}); null removes it, and the object when empty. */
    public void setDocumentFilter(int role, String which, Expression expression) {
        if (!which.equals("read") && !which.equals("write")) {
            throw new DesignException("roles[" + role + "].document_filters", "a document filter is \"read\" or \"write\", not \"" + which + "\"");
        }
        edit(r -> {
            ObjectNode node = roleAt(r, role);
            if (expression == null) {
                if (node.get("document_filters") instanceof ObjectNode df) {
                    df.remove(which);
                    if (df.isEmpty()) {
                        node.remove("document_filters");
                    }
                }
                return;
            }
            ObjectNode df = node.get("document_filters") instanceof ObjectNode o ? o : NODES.objectNode();
            putKeepingOrder(df, which, expression.toJson());
            putKeepingOrder(node, "document_filters", df);
        });
    }

    /**
     * Sets one field's permissions (a dotted path names a nested field: {@code address.city}); a null
     * read or write is left unset. Parents are created as needed.
     */
    public void setField(int role, String path, JsonNode read, JsonNode write) {
        String[] parts = splitPath(role, path);
        edit(r -> {
            ObjectNode entry = fieldEntry(roleAt(r, role), parts, true);
            setOrRemove(entry, "read", read);
            setOrRemove(entry, "write", write);
        });
    }

    /** Removes a field (and the fields nested in it) from the role's list. */
    public void removeField(int role, String path) {
        String[] parts = splitPath(role, path);
        edit(r -> {
            ObjectNode parent = roleAt(r, role);
            for (int i = 0; i < parts.length - 1; i++) {
                parent = parent.path("fields").get(parts[i]) instanceof ObjectNode o ? o : null;
                if (parent == null) {
                    return;
                }
            }
            if (parent.get("fields") instanceof ObjectNode fields) {
                fields.remove(parts[parts.length - 1]);
                if (fields.isEmpty() && parts.length == 1) {
                    parent.remove("fields");
                }
            }
        });
    }

    /** Sets {@code additional_fields}; both null removes it. */
    public void setAdditionalFields(int role, JsonNode read, JsonNode write) {
        edit(r -> {
            ObjectNode node = roleAt(r, role);
            if (read == null && write == null) {
                node.remove("additional_fields");
                return;
            }
            ObjectNode a = node.get("additional_fields") instanceof ObjectNode o ? o : NODES.objectNode();
            setOrRemove(a, "read", read);
            setOrRemove(a, "write", write);
            putKeepingOrder(node, "additional_fields", a);
        });
    }

    // ---- filters, schema, whole rule ------------------------------------------------------------

    /** Adds a filter: when {@code applyWhen} holds, {@code query} is ANDed into queries and {@code projection} merged. @return its index */
    public int addFilter(String name, Expression applyWhen, JsonNode query, JsonNode projection) {
        edit(r -> filters(r).add(filterNode(NODES.objectNode(), name, applyWhen, query, projection)));
        return filterCount() - 1;
    }

    public void setFilter(int index, String name, Expression applyWhen, JsonNode query, JsonNode projection) {
        checkIndex(index, filterCount(), "filters");
        edit(r -> filterNode((ObjectNode) filters(r).get(index), name, applyWhen, query, projection));
    }

    public void deleteFilter(int index) {
        checkIndex(index, filterCount(), "filters");
        edit(r -> filters(r).remove(index));
    }

    public void setSchema(JsonNode schema) {
        edit(r -> putKeepingOrder(r, "schema", schema == null ? NODES.objectNode() : schema));
    }

    /**
     * Appends roles and filters at once (a template added to what is there), after the current ones;
     * a name already taken gets " 2", " 3", ... so nothing is overwritten.
     */
    public void appendRolesAndFilters(ArrayNode roles, ArrayNode filters) {
        edit(r -> {
            ArrayNode targetRoles = roles(r);
            java.util.Set<String> taken = new java.util.HashSet<>();
            targetRoles.forEach(x -> taken.add(x.path("name").asText("")));
            for (var role : roles) {
                ObjectNode copy = ((ObjectNode) role).deepCopy();
                copy.put("name", free(taken, copy.path("name").asText("role")));
                targetRoles.add(copy);
            }
            ArrayNode targetFilters = filters(r);
            java.util.Set<String> takenFilters = new java.util.HashSet<>();
            targetFilters.forEach(x -> takenFilters.add(x.path("name").asText("")));
            for (var filter : filters) {
                ObjectNode copy = ((ObjectNode) filter).deepCopy();
                copy.put("name", free(takenFilters, copy.path("name").asText("filter")));
                targetFilters.add(copy);
            }
        });
    }

    private static String free(java.util.Set<String> taken, String name) {
        String candidate = name;
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = name + " " + n;
        }
        taken.add(candidate);
        return candidate;
    }

    /** Replaces roles and filters at once (a template), keeping the rest of the rule. */
    public void replaceRolesAndFilters(ArrayNode roles, ArrayNode filters) {
        edit(r -> {
            putKeepingOrder(r, "roles", roles);
            putKeepingOrder(r, "filters", filters);
        });
    }

    /** Replaces the whole rule with edited JSON text (the JSON view); the namespace must stay. */
    public void replaceAll(String json) {
        ObjectNode next = parseObject(json);
        if (!next.path("database").asText("").equals(database()) || !next.path("collection").asText("").equals(collection())) {
            throw new DesignException("database", "this rule is for " + namespace() + "; keep \"database\" and \"collection\" as they are"
                    + " (a rule moves to another collection by renaming its file)");
        }
        check(next);
        root = next;
        listeners.forEach(Runnable::run);
    }

    // ---- the edit gate ---------------------------------------------------------------------------

    private void edit(Consumer<ObjectNode> change) {
        ObjectNode next = root.deepCopy();
        try {
            change.accept(next);
        } catch (IndexOutOfBoundsException | NullPointerException e) {
            throw new DesignException("", "that part of the rule does not exist (" + e.getMessage() + ")");
        }
        if (Expressions.same(next, root)) {
            return; // nothing changed (e.g. a field committed again on focus loss): no refresh that would reset other inputs
        }
        check(next);
        root = next;
        listeners.forEach(Runnable::run);
    }

    /** What the runtime or the bundle validator would refuse: a rule that does not compile, a role without a name or with one over 100 characters. */
    static void check(ObjectNode rule) {
        JsonNode roles = rule.get("roles");
        if (roles != null && roles.isArray()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < roles.size(); i++) {
                JsonNode name = roles.get(i).get("name");
                String where = "roles[" + i + "].name";
                if (name == null || !name.isTextual() || name.asText().isBlank()) {
                    throw new DesignException(where, "every role needs a name; give it one");
                }
                if (name.asText().length() > MAX_ROLE_NAME) {
                    throw new DesignException(where, "a role name has at most " + MAX_ROLE_NAME + " characters");
                }
                seen.add(name.asText());
            }
        }
        try {
            CollectionRules.compile(new CollectionRuleDef(Json.of(rule)));
        } catch (RuleCompileException e) {
            throw new DesignException(e.rulePath(), e.detail());
        } catch (RuntimeException e) {
            throw new DesignException("", "the runtime cannot read this rule: " + e.getMessage());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static ObjectNode parseObject(String json) {
        try {
            return Json.parse(json).object();
        } catch (IllegalArgumentException e) {
            throw new DesignException("", "not a JSON object: " + e.getMessage() + "; fix the text, nothing was changed");
        }
    }

    private static ArrayNode roles(ObjectNode rule) {
        JsonNode roles = rule.get("roles");
        if (roles instanceof ArrayNode a) {
            return a;
        }
        return putKeepingOrder(rule, "roles", NODES.arrayNode()) instanceof ArrayNode a ? a : null;
    }

    private static ArrayNode filters(ObjectNode rule) {
        JsonNode filters = rule.get("filters");
        if (filters instanceof ArrayNode a) {
            return a;
        }
        return (ArrayNode) putKeepingOrder(rule, "filters", NODES.arrayNode());
    }

    private static ObjectNode roleAt(ObjectNode rule, int index) {
        ArrayNode roles = roles(rule);
        checkIndex(index, roles.size(), "roles");
        return (ObjectNode) roles.get(index);
    }

    private static int checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new DesignException(what + "[" + index + "]", "there is no such entry (there are " + size + ")");
        }
        return index;
    }

    /** Sets a key; an existing key keeps its place, a new one goes at the end. @return the value as stored */
    static JsonNode putKeepingOrder(ObjectNode node, String key, JsonNode value) {
        node.set(key, value.deepCopy());
        return node.get(key);
    }

    private static void setOrRemove(ObjectNode node, String key, JsonNode value) {
        if (value == null) {
            node.remove(key);
        } else {
            putKeepingOrder(node, key, value);
        }
    }

    private static String[] splitPath(int role, String path) {
        if (path == null || path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..") || path.startsWith("$")) {
            throw new DesignException("roles[" + role + "].fields", "\"" + path + "\" is not a field path; use a name like owner_id or address.city");
        }
        return path.split("\\.");
    }

    private static ObjectNode fieldEntry(ObjectNode roleOrField, String[] parts, boolean create) {
        ObjectNode at = roleOrField;
        for (String part : parts) {
            ObjectNode fields = at.get("fields") instanceof ObjectNode f ? f : (ObjectNode) putKeepingOrder(at, "fields", NODES.objectNode());
            ObjectNode entry = fields.get(part) instanceof ObjectNode e ? e : (ObjectNode) putKeepingOrder(fields, part, NODES.objectNode());
            at = entry;
        }
        return at;
    }

    private static void collectFields(String prefix, JsonNode fields, List<FieldRule> out) {
        if (fields == null || !fields.isObject()) {
            return;
        }
        for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode entry = fields.get(name);
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            out.add(new FieldRule(path, copy(entry.get("read")), copy(entry.get("write"))));
            collectFields(path, entry.get("fields"), out);
        }
    }

    private static ObjectNode filterNode(ObjectNode node, String name, Expression applyWhen, JsonNode query, JsonNode projection) {
        node.put("name", name);
        putKeepingOrder(node, "apply_when", (applyWhen == null ? new Expression.Always() : applyWhen).toJson());
        putKeepingOrder(node, "query", query == null ? NODES.objectNode() : query);
        putKeepingOrder(node, "projection", projection == null ? NODES.objectNode() : projection);
        return node;
    }

    private static JsonNode copy(JsonNode node) {
        return node == null ? null : node.deepCopy();
    }
}
