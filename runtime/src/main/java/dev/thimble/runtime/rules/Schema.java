package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Decision.SchemaViolation;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled collection schema: the JSON Schema subset MongoDB rules use, with {@code bsonType}.
 * Keywords: bsonType, type, properties, required, items, enum, minimum/maximum (and the boolean
 * exclusiveMinimum/exclusiveMaximum), minLength/maxLength, pattern, additionalProperties. Other
 * keywords (title, description, …) are ignored.
 */
final class Schema {
    private static final Map<String, Predicate<Object>> BSON_TYPES = new LinkedHashMap<>();
    private static final Map<String, Predicate<Object>> JSON_TYPES = new LinkedHashMap<>();

    static {
        BSON_TYPES.put("objectId", v -> v instanceof ObjectId);
        BSON_TYPES.put("string", v -> v instanceof String);
        BSON_TYPES.put("int", v -> v instanceof Integer || v instanceof Short || v instanceof Byte);
        BSON_TYPES.put("long", v -> v instanceof Long);
        BSON_TYPES.put("double", v -> v instanceof Double || v instanceof Float);
        BSON_TYPES.put("decimal", v -> v instanceof Decimal128 || v instanceof BigDecimal);
        BSON_TYPES.put("number", v -> v instanceof Number);
        BSON_TYPES.put("bool", v -> v instanceof Boolean);
        BSON_TYPES.put("date", v -> v instanceof Date);
        BSON_TYPES.put("object", v -> v instanceof Map<?, ?>);
        BSON_TYPES.put("array", v -> v instanceof List<?>);
        BSON_TYPES.put("null", v -> v == null);
        BSON_TYPES.put("binData", v -> v instanceof Binary || v instanceof UUID || v instanceof byte[]);
        BSON_TYPES.put("timestamp", v -> v instanceof BsonTimestamp);
        BSON_TYPES.put("regex", v -> v instanceof BsonRegularExpression || v instanceof Pattern);
        // App Services' schema names for Realm types: a UUID (binary subtype 4) and "mixed" (any value).
        BSON_TYPES.put("uuid", v -> v instanceof UUID || v instanceof Binary b && b.getType() == 4);
        BSON_TYPES.put("mixed", v -> true);
        // Realm's float: App Services' schema name for it; BSON has no float, so MongoDB holds a double.
        BSON_TYPES.put("float", v -> v instanceof Double || v instanceof Float);

        JSON_TYPES.put("object", v -> v instanceof Map<?, ?>);
        JSON_TYPES.put("array", v -> v instanceof List<?>);
        JSON_TYPES.put("string", v -> v instanceof String);
        JSON_TYPES.put("number", v -> v instanceof Number);
        JSON_TYPES.put("integer", v -> v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof Double d && d == Math.rint(d) && !d.isInfinite());
        JSON_TYPES.put("boolean", v -> v instanceof Boolean);
        JSON_TYPES.put("null", v -> v == null);
    }

    private final List<String> bsonTypes;
    private final List<String> types;
    private final Map<String, Schema> properties;
    private final List<String> required;
    private final Schema items;
    private final List<Schema> tupleItems;
    private final List<Object> enumValues;
    private final Number minimum;
    private final Number maximum;
    private final boolean exclusiveMinimum;
    private final boolean exclusiveMaximum;
    private final Integer minLength;
    private final Integer maxLength;
    private final Pattern pattern;
    private final Boolean additionalAllowed;
    private final Schema additionalSchema;

    private Schema(Map<?, ?> json, String path) {
        bsonTypes = typeNames(json.get("bsonType"), BSON_TYPES.keySet(), path + ".bsonType");
        types = typeNames(json.get("type"), JSON_TYPES.keySet(), path + ".type");
        Map<String, Schema> props = new LinkedHashMap<>();
        if (json.get("properties") instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                props.put(String.valueOf(e.getKey()), child(e.getValue(), path + ".properties." + e.getKey()));
            }
        } else if (json.containsKey("properties")) {
            throw new RuleCompileException(path + ".properties", "properties is an object of schemas");
        }
        properties = props;
        required = new ArrayList<>();
        if (json.get("required") instanceof List<?> list) {
            for (Object name : list) {
                if (!(name instanceof String s)) {
                    throw new RuleCompileException(path + ".required", "required lists field names, not " + Values.show(name));
                }
                required.add(s);
            }
        } else if (json.containsKey("required")) {
            throw new RuleCompileException(path + ".required", "required is an array of field names");
        }
        Object itemsJson = json.get("items");
        if (itemsJson instanceof List<?> list) {
            items = null;
            tupleItems = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                tupleItems.add(child(list.get(i), path + ".items[" + i + "]"));
            }
        } else {
            items = itemsJson == null ? null : child(itemsJson, path + ".items");
            tupleItems = null;
        }
        Object enumJson = json.get("enum");
        if (enumJson != null && !(enumJson instanceof List<?>)) {
            throw new RuleCompileException(path + ".enum", "enum is an array of values");
        }
        enumValues = enumJson == null ? null : new ArrayList<>((List<?>) enumJson);
        minimum = number(json, "minimum", path);
        maximum = number(json, "maximum", path);
        exclusiveMinimum = Boolean.TRUE.equals(json.get("exclusiveMinimum"));
        exclusiveMaximum = Boolean.TRUE.equals(json.get("exclusiveMaximum"));
        minLength = count(json, "minLength", path);
        maxLength = count(json, "maxLength", path);
        Object patternJson = json.get("pattern");
        if (patternJson == null) {
            pattern = null;
        } else if (patternJson instanceof String p) {
            try {
                pattern = Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new RuleCompileException(path + ".pattern", "not a regular expression: " + e.getDescription());
            }
        } else {
            throw new RuleCompileException(path + ".pattern", "pattern is a string");
        }
        Object additional = json.get("additionalProperties");
        if (additional instanceof Boolean b) {
            additionalAllowed = b;
            additionalSchema = null;
        } else if (additional instanceof Map<?, ?>) {
            additionalAllowed = null;
            additionalSchema = child(additional, path + ".additionalProperties");
        } else if (additional == null) {
            additionalAllowed = null;
            additionalSchema = null;
        } else {
            throw new RuleCompileException(path + ".additionalProperties", "additionalProperties is a boolean or a schema");
        }
    }

    /** The compiled schema, or null when there is none (absent or {@code {}}). */
    static Schema compile(Object json, String path) {
        if (json == null || json instanceof Map<?, ?> map && map.isEmpty()) {
            return null;
        }
        return child(json, path);
    }

    private static Schema child(Object json, String path) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new RuleCompileException(path, "a schema is an object, not " + Values.typeName(json));
        }
        return new Schema(map, path);
    }

    private static List<String> typeNames(Object json, Set<String> known, String path) {
        if (json == null) {
            return null;
        }
        List<?> names = json instanceof List<?> list ? list : List.of(json);
        List<String> out = new ArrayList<>();
        for (Object name : names) {
            if (!(name instanceof String s) || !known.contains(s)) {
                throw new RuleCompileException(path, "unknown type " + Values.show(name) + " (known: " + String.join(", ", known) + ")");
            }
            out.add(s);
        }
        return out;
    }

    private static Number number(Map<?, ?> json, String key, String path) {
        Object value = json.get(key);
        if (value != null && !(value instanceof Number)) {
            throw new RuleCompileException(path + "." + key, key + " is a number");
        }
        return (Number) value;
    }

    private static Integer count(Map<?, ?> json, String key, String path) {
        Object value = json.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new RuleCompileException(path + "." + key, key + " is a non-negative integer");
        }
        return n.intValue();
    }

    /** Checks a whole document; the list is empty when it fits. */
    List<SchemaViolation> validate(Object document) {
        List<SchemaViolation> out = new ArrayList<>(0);
        check(document, "", out);
        return out;
    }

    private void check(Object value, String path, List<SchemaViolation> out) {
        if (bsonTypes != null && !anyMatches(bsonTypes, BSON_TYPES, value)) {
            out.add(new SchemaViolation(path, "bsonType", oneOf(bsonTypes), described(value)));
            return;
        }
        if (types != null && !anyMatches(types, JSON_TYPES, value)) {
            out.add(new SchemaViolation(path, "type", oneOf(types), described(value)));
            return;
        }
        if (enumValues != null && !enumContains(value)) {
            out.add(new SchemaViolation(path, "enum", "one of " + Values.show(enumValues), Values.show(value)));
        }
        if (value instanceof Number n) {
            if (minimum != null) {
                int c = Values.compareNumbers(n, minimum);
                if (c == Integer.MIN_VALUE || c < 0 || exclusiveMinimum && c == 0) {
                    out.add(new SchemaViolation(path, "minimum", (exclusiveMinimum ? "> " : "≥ ") + minimum, Values.show(n)));
                }
            }
            if (maximum != null) {
                int c = Values.compareNumbers(n, maximum);
                if (c == Integer.MIN_VALUE || c > 0 || exclusiveMaximum && c == 0) {
                    out.add(new SchemaViolation(path, "maximum", (exclusiveMaximum ? "< " : "≤ ") + maximum, Values.show(n)));
                }
            }
        }
        if (value instanceof String s) {
            int length = s.codePointCount(0, s.length());
            if (minLength != null && length < minLength) {
                out.add(new SchemaViolation(path, "minLength", "at least " + minLength + " characters", length + " characters"));
            }
            if (maxLength != null && length > maxLength) {
                out.add(new SchemaViolation(path, "maxLength", "at most " + maxLength + " characters", length + " characters"));
            }
            if (pattern != null && !pattern.matcher(s).find()) {
                out.add(new SchemaViolation(path, "pattern", "to match /" + pattern.pattern() + "/", Values.show(s)));
            }
        }
        if (value instanceof Map<?, ?> map) {
            for (String name : required) {
                if (!map.containsKey(name)) {
                    out.add(new SchemaViolation(join(path, name), "required", "the field to be present", "missing"));
                }
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                Schema property = properties.get(name);
                if (property != null) {
                    property.check(e.getValue(), join(path, name), out);
                } else if (additionalSchema != null) {
                    additionalSchema.check(e.getValue(), join(path, name), out);
                } else if (Boolean.FALSE.equals(additionalAllowed)) {
                    out.add(new SchemaViolation(join(path, name), "additionalProperties",
                            "no fields besides " + properties.keySet(), described(e.getValue())));
                }
            }
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Schema schema = tupleItems != null ? (i < tupleItems.size() ? tupleItems.get(i) : null) : items;
                if (schema != null) {
                    schema.check(list.get(i), join(path, String.valueOf(i)), out);
                }
            }
        }
    }

    private boolean enumContains(Object value) {
        for (Object candidate : enumValues) {
            if (Values.equal(value, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyMatches(List<String> names, Map<String, Predicate<Object>> kinds, Object value) {
        for (String name : names) {
            if (kinds.get(name).test(value)) {
                return true;
            }
        }
        return false;
    }

    private static String oneOf(List<String> names) {
        return names.size() == 1 ? '"' + names.getFirst() + '"' : "one of " + names;
    }

    private static String described(Object value) {
        return value == null || value instanceof Map<?, ?> || value instanceof List<?>
                ? Values.typeName(value) : Values.typeName(value) + " " + Values.show(value);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
