package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Starting points for common access patterns. {@link #apply} replaces a rule's roles and filters
 * (its schema and other fields stay); the result is an ordinary rule, edited like any other.
 */
public enum RuleTemplate {
    /** The owner reads and writes their documents; nobody else sees them. Parameter: {@code ownerField}. */
    OWNER_ONLY("Owner only", List.of("ownerField")),
    /** The owner reads and writes; users in the shared-with array read. Parameters: {@code ownerField}, {@code sharedField}. */
    OWNER_AND_SHARED("Owner plus a shared-with list", List.of("ownerField", "sharedField")),
    /** Every user reads every document; only the owner writes. Parameter: {@code ownerField}. */
    EVERYONE_READS_OWNER_WRITES("Everyone reads, owner writes", List.of("ownerField")),
    /** Users whose custom user data has {@code adminField: adminValue} read and write everything; nobody else sees anything. */
    ADMINS_BY_CUSTOM_DATA("Admins by custom user data", List.of("adminField", "adminValue")),
    /** No role: every user request is denied (system functions still work). */
    DENY_ALL("Deny all", List.of());

    /** What the parameters default to when not given. */
    public static final Map<String, String> DEFAULTS = Map.of("ownerField", "owner_id", "sharedField", "shared_with",
            "adminField", "isAdmin", "adminValue", "true");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String title;
    private final List<String> parameters;

    RuleTemplate(String title, List<String> parameters) {
        this.title = title;
        this.parameters = parameters;
    }

    public String title() {
        return title;
    }

    public List<String> parameters() {
        return parameters;
    }

    /** Replaces the roles and filters of {@code design} with this pattern; missing parameters take {@link #DEFAULTS}. */
    public void apply(RuleDesign design, Map<String, String> given) {
        ArrayNode[] built = build(given);
        design.replaceRolesAndFilters(built[0], built[1]);
    }

    /** Adds this pattern's roles and filters after those of {@code design} (taken names get a number). */
    public void add(RuleDesign design, Map<String, String> given) {
        ArrayNode[] built = build(given);
        design.appendRolesAndFilters(built[0], built[1]);
    }

    /** The names of the roles this pattern makes (for the question "add or replace?"). */
    public List<String> roleNames(Map<String, String> given) {
        List<String> names = new java.util.ArrayList<>();
        build(given)[0].forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    /** The pattern's roles and filters: {@code [roles, filters]}. */
    private ArrayNode[] build(Map<String, String> given) {
        String owner = param(given, "ownerField");
        String shared = param(given, "sharedField");
        ArrayNode roles = NODES.arrayNode();
        ArrayNode filters = NODES.arrayNode();
        switch (this) {
            case OWNER_ONLY -> {
                ObjectNode role = role(roles, "owner", eq(owner, "%%user.id"));
                role.put("read", true);
                role.set("write", eq(owner, "%%user.id"));
                grants(role, true, true);
                filter(filters, "own documents", eq(owner, "%%user.id"));
            }
            case OWNER_AND_SHARED -> {
                ObjectNode ownerRole = role(roles, "owner", eq(owner, "%%user.id"));
                ownerRole.put("read", true);
                ownerRole.set("write", eq(owner, "%%user.id"));
                grants(ownerRole, true, true);
                ObjectNode reader = role(roles, "shared with", eq(shared, "%%user.id"));
                reader.put("read", true);
                reader.put("write", false);
                grants(reader, false, false);
                ObjectNode either = NODES.objectNode();
                either.putArray("$or").add(eq(owner, "%%user.id")).add(eq(shared, "%%user.id"));
                filter(filters, "own or shared documents", either);
            }
            case EVERYONE_READS_OWNER_WRITES -> {
                ObjectNode ownerRole = role(roles, "owner", eq(owner, "%%user.id"));
                ownerRole.put("read", true);
                ownerRole.set("write", eq(owner, "%%user.id"));
                grants(ownerRole, true, true);
                ObjectNode reader = role(roles, "reader", NODES.objectNode());
                reader.put("read", true);
                reader.put("write", false);
                grants(reader, false, false);
            }
            case ADMINS_BY_CUSTOM_DATA -> {
                String value = param(given, "adminValue");
                ObjectNode when = NODES.objectNode();
                switch (value) {
                    case "true", "false" -> when.put("%%user.custom_data." + param(given, "adminField"), Boolean.parseBoolean(value));
                    default -> when.put("%%user.custom_data." + param(given, "adminField"), value);
                }
                ObjectNode admin = role(roles, "admin", when);
                admin.put("read", true);
                admin.put("write", true);
                grants(admin, true, true);
            }
            case DENY_ALL -> {
                // no roles: no user request finds a role, so each is denied
            }
            default -> throw new IllegalStateException("unhandled template " + this);
        }
        return new ArrayNode[] {roles, filters};
    }

    private static String param(Map<String, String> given, String name) {
        String v = given == null ? null : given.get(name);
        if (v == null || v.isBlank()) {
            return DEFAULTS.get(name);
        }
        if (!name.equals("adminValue") && (v.startsWith("$") || v.startsWith("%") || v.contains(" "))) {
            throw new DesignException("template." + name, "\"" + v + "\" is not a field name; use a name like owner_id");
        }
        return v.trim();
    }

    private static ObjectNode role(ArrayNode roles, String name, ObjectNode applyWhen) {
        ObjectNode role = roles.addObject();
        role.put("name", name);
        role.set("apply_when", applyWhen);
        return role;
    }

    private static void grants(ObjectNode role, boolean insert, boolean delete) {
        role.put("insert", insert);
        role.put("delete", delete);
        role.put("search", false);
    }

    private static ObjectNode eq(String field, String expansion) {
        ObjectNode o = NODES.objectNode();
        o.put(field, expansion);
        return o;
    }

    private static void filter(ArrayNode filters, String name, ObjectNode query) {
        ObjectNode f = filters.addObject();
        f.put("name", name);
        f.putObject("apply_when");
        f.set("query", query);
        f.putObject("projection");
    }
}
