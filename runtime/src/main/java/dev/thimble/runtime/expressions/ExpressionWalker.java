package dev.thimble.runtime.expressions;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the expressions of a rule document and visits what is inside each one. Tolerant: parts of
 * the wrong shape (roles that are not an array, a {@code fields} that is not an object) are skipped,
 * not reported; saying what is wrong with them is the validator's job.
 *
 * <p>Paths read like JavaScript: {@code roles[0].fields.salary.read}, and a key that is not a plain
 * word is quoted: {@code roles[0].apply_when["%%user.id"].$in}.
 */
public final class ExpressionWalker {

    /** Where an expression sits; this decides what it may contain. */
    public enum Slot {
        /** A role's or filter's {@code apply_when}. */
        APPLY_WHEN,
        /** A role permission: {@code read}, {@code write}, {@code insert}, {@code delete}, {@code search}, also under {@code fields} and {@code additional_fields}. */
        PERMISSION,
        /** {@code document_filters.read} / {@code .write}. */
        DOCUMENT_FILTER,
        /** A filter's {@code query}: a MongoDB query with expansions, so all query operators are allowed. */
        FILTER_QUERY,
        /** A function's or webhook's {@code can_evaluate}. */
        CAN_EVALUATE,
        /** A service rule's {@code when}. */
        SERVICE_RULE_WHEN
    }

    /** One expression of a document: its path from the document root, the expression, its slot. */
    public record Site(String path, JsonNode expression, Slot slot) {
    }

    /** What {@link #walk} reports; every method has an empty default. */
    public interface Visitor {
        /** A {@code %%} expansion, as a key ({@code {"%%user.id": ...}}) or as a string value. */
        default void expansion(String path, String expansion) {
        }

        /** A {@code %}-operator key with its argument. */
        default void percentOperator(String path, String operator, JsonNode argument) {
        }

        /** A {@code $}-operator key with its argument; Extended JSON wrappers such as {@code $oid} are literals and not reported. */
        default void dollarOperator(String path, String operator, JsonNode argument) {
        }
    }

    /** The role permissions, in the order of STITCH-SPEC §2A. */
    public static final List<String> ROLE_PERMISSIONS = List.of("read", "write", "insert", "delete", "search");

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$%][A-Za-z0-9_$%]*");

    private ExpressionWalker() {
    }

    /**
     * Every expression of a collection rule or default rule ({@code roles}, {@code filters}), in
     * document order: per role {@code apply_when}, {@code document_filters}, the permissions,
     * {@code fields} (recursively) and {@code additional_fields}; per filter {@code apply_when} and
     * {@code query}.
     */
    public static List<Site> sitesOfRule(JsonNode rule) {
        List<Site> sites = new ArrayList<>();
        JsonNode roles = rule.get("roles");
        if (roles != null && roles.isArray()) {
            for (int i = 0; i < roles.size(); i++) {
                JsonNode role = roles.get(i);
                String path = index("roles", i);
                if (role.isObject()) {
                    addIfPresent(sites, role, "apply_when", path, Slot.APPLY_WHEN);
                    JsonNode documentFilters = role.get("document_filters");
                    if (documentFilters != null && documentFilters.isObject()) {
                        String filtersPath = child(path, "document_filters");
                        addIfPresent(sites, documentFilters, "read", filtersPath, Slot.DOCUMENT_FILTER);
                        addIfPresent(sites, documentFilters, "write", filtersPath, Slot.DOCUMENT_FILTER);
                    }
                    for (String permission : ROLE_PERMISSIONS) {
                        addIfPresent(sites, role, permission, path, Slot.PERMISSION);
                    }
                    addFields(sites, role.get("fields"), child(path, "fields"));
                    JsonNode additional = role.get("additional_fields");
                    if (additional != null && additional.isObject()) {
                        String additionalPath = child(path, "additional_fields");
                        addIfPresent(sites, additional, "read", additionalPath, Slot.PERMISSION);
                        addIfPresent(sites, additional, "write", additionalPath, Slot.PERMISSION);
                    }
                }
            }
        }
        JsonNode filters = rule.get("filters");
        if (filters != null && filters.isArray()) {
            for (int i = 0; i < filters.size(); i++) {
                JsonNode filter = filters.get(i);
                if (filter.isObject()) {
                    String path = index("filters", i);
                    addIfPresent(sites, filter, "apply_when", path, Slot.APPLY_WHEN);
                    addIfPresent(sites, filter, "query", path, Slot.FILTER_QUERY);
                }
            }
        }
        return sites;
    }

    private static void addFields(List<Site> sites, JsonNode fields, String path) {
        if (fields == null || !fields.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            if (field.getValue().isObject()) {
                String fieldPath = child(path, field.getKey());
                addIfPresent(sites, field.getValue(), "read", fieldPath, Slot.PERMISSION);
                addIfPresent(sites, field.getValue(), "write", fieldPath, Slot.PERMISSION);
                addFields(sites, field.getValue().get("fields"), child(fieldPath, "fields"));
            }
        }
    }

    private static void addIfPresent(List<Site> sites, JsonNode parent, String key, String parentPath, Slot slot) {
        JsonNode value = parent.get(key);
        if (value != null) {
            sites.add(new Site(child(parentPath, key), value, slot));
        }
    }

    /**
     * Visits everything inside one expression, depth first in document order. Arguments of
     * {@link ExpressionVocabulary#OPAQUE_QUERY_OPERATORS} (another language) and of Extended JSON
     * wrappers (literals) are not entered.
     */
    public static void walk(String path, JsonNode expression, Visitor visitor) {
        if (expression == null) {
            return;
        }
        if (expression.isTextual()) {
            if (expression.asText().startsWith("%%")) {
                visitor.expansion(path, expression.asText());
            }
        } else if (expression.isArray()) {
            for (int i = 0; i < expression.size(); i++) {
                walk(index(path, i), expression.get(i), visitor);
            }
        } else if (expression.isObject()) {
            for (Map.Entry<String, JsonNode> entry : expression.properties()) {
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                String keyPath = child(path, key);
                if (key.startsWith("%%")) {
                    visitor.expansion(keyPath, key);
                } else if (key.startsWith("%")) {
                    visitor.percentOperator(keyPath, key, value);
                } else if (key.startsWith("$")) {
                    if (ExpressionVocabulary.EJSON_TYPE_KEYS.contains(key)) {
                        continue;
                    }
                    visitor.dollarOperator(keyPath, key, value);
                    if (ExpressionVocabulary.OPAQUE_QUERY_OPERATORS.contains(key)) {
                        continue;
                    }
                }
                walk(keyPath, value, visitor);
            }
        }
    }

    /** {@code parent.key}, or {@code parent["key"]} when the key is not a plain word. */
    public static String child(String parent, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
