package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kinds of config an app bundle holds, each with its known top-level fields in the order the
 * writer puts them (the spec's order) and the JSON type each must have. Reading checks a config
 * against its kind; writing orders a config's keys by it.
 */
enum EntityKind {
    APP("app", List.of(
            opt("app_id", Type.STRING), opt("config_version", Type.NUMBER), req("name", Type.STRING),
            opt("location", Type.STRING), opt("provider_region", Type.STRING),
            opt("deployment_model", Type.STRING), opt("environment", Type.STRING),
            opt("security", Type.OBJECT), opt("hosting", Type.OBJECT),
            opt("custom_user_data_config", Type.OBJECT), opt("sync", Type.OBJECT),
            opt("realm_config", Type.OBJECT))),
    AUTH_PROVIDER("auth provider", List.of(
            opt("id", Type.STRING), opt("name", Type.STRING), req("type", Type.STRING),
            opt("disabled", Type.BOOLEAN), opt("config", Type.OBJECT), opt("secret_config", Type.OBJECT),
            opt("metadata_fields", Type.ARRAY), opt("redirect_uris", Type.ARRAY),
            opt("domain_restrictions", Type.ARRAY))),
    FUNCTION("function", List.of(
            opt("id", Type.STRING), req("name", Type.STRING), opt("private", Type.BOOLEAN),
            opt("can_evaluate", Type.EXPRESSION), opt("disable_arg_logs", Type.BOOLEAN),
            opt("run_as_system", Type.BOOLEAN), opt("run_as_user_id", Type.STRING),
            opt("run_as_user_id_script_source", Type.STRING))),
    SERVICE("service", List.of(
            opt("id", Type.STRING), req("name", Type.STRING), req("type", Type.STRING),
            opt("config", Type.OBJECT), opt("secret_config", Type.OBJECT), opt("version", Type.NUMBER))),
    COLLECTION_RULE("collection rule", List.of(
            opt("id", Type.STRING), req("database", Type.STRING), req("collection", Type.STRING),
            opt("roles", Type.ARRAY), opt("filters", Type.ARRAY), opt("schema", Type.OBJECT),
            opt("relationships", Type.OBJECT))),
    DEFAULT_RULE("default rule", List.of(
            opt("id", Type.STRING), opt("roles", Type.ARRAY), opt("filters", Type.ARRAY))),
    SERVICE_RULE("service rule", List.of(
            opt("id", Type.STRING), req("name", Type.STRING), opt("actions", Type.ARRAY),
            opt("when", Type.EXPRESSION))),
    WEBHOOK("incoming webhook", List.of(
            opt("id", Type.STRING), req("name", Type.STRING), opt("run_as_authed_user", Type.BOOLEAN),
            opt("run_as_user_id", Type.STRING), opt("run_as_user_id_script_source", Type.STRING),
            opt("can_evaluate", Type.EXPRESSION), opt("options", Type.OBJECT),
            opt("respond_result", Type.BOOLEAN), opt("fetch_custom_user_data", Type.BOOLEAN),
            opt("create_user_on_auth", Type.BOOLEAN), opt("disable_arg_logs", Type.BOOLEAN))),
    TRIGGER("trigger", List.of(
            opt("id", Type.STRING), req("name", Type.STRING), req("type", Type.STRING),
            req("config", Type.OBJECT), opt("function_name", Type.STRING),
            opt("event_processors", Type.OBJECT), opt("error_handler", Type.OBJECT),
            opt("disabled", Type.BOOLEAN))),
    VALUE("value", List.of(
            opt("id", Type.STRING), req("name", Type.STRING), opt("value", Type.ANY),
            opt("from_secret", Type.BOOLEAN), opt("private", Type.BOOLEAN))),
    ENVIRONMENT("environment", List.of(opt("values", Type.OBJECT))),
    ENDPOINT("endpoint", List.of(
            opt("id", Type.STRING), req("route", Type.STRING), opt("http_method", Type.STRING),
            opt("function_name", Type.STRING), opt("validation_method", Type.STRING), opt("verification_method", Type.STRING),
            opt("authentication", Type.STRING), opt("run_as_user_id", Type.STRING),
            opt("secret_name", Type.STRING), opt("respond_result", Type.BOOLEAN),
            opt("fetch_custom_user_data", Type.BOOLEAN), opt("create_user_on_auth", Type.BOOLEAN),
            opt("return_type", Type.STRING), opt("disabled", Type.BOOLEAN)));

    /** The JSON type a field must have; null is accepted for optional fields (exports write it). */
    enum Type {
        STRING("a string"), BOOLEAN("true or false"), NUMBER("a number"), OBJECT("an object"),
        ARRAY("an array"), EXPRESSION("an expression (an object, true or false)"), ANY("any value");

        final String description;

        Type(String description) {
            this.description = description;
        }

        boolean matches(JsonNode value) {
            return switch (this) {
                case STRING -> value.isTextual();
                case BOOLEAN -> value.isBoolean();
                case NUMBER -> value.isNumber();
                case OBJECT -> value.isObject();
                case ARRAY -> value.isArray();
                case EXPRESSION -> value.isObject() || value.isBoolean();
                case ANY -> true;
            };
        }
    }

    record Field(String name, Type type, boolean required) {
    }

    private final String label;
    private final List<Field> fields;

    EntityKind(String label, List<Field> fields) {
        this.label = label;
        this.fields = fields;
    }

    /** How problems name the kind, e.g. "function". */
    String label() {
        return label;
    }

    List<String> fieldOrder() {
        return fields.stream().map(Field::name).toList();
    }

    /**
     * Reports every unknown field (a warning; the field stays) and every field of the wrong type
     * (an error) of {@code config}. Returns false when a required field is missing or mistyped:
     * the entity cannot be identified or used, and the caller skips it.
     *
     * @param prefix field path of {@code config} inside the file ("" for the whole file, else e.g. "[2]")
     */
    boolean check(ObjectNode config, String file, String prefix, BundleReadContext ctx) {
        boolean usable = true;
        for (Field field : fields) {
            JsonNode value = config.get(field.name());
            String path = BundleReadContext.path(prefix, field.name());
            if (value == null || value.isNull()) {
                if (field.required()) {
                    ctx.error(file, path, "missing required field '" + field.name() + "' of the " + label
                            + "; add it (" + field.type().description + ")");
                    usable = false;
                }
            } else if (!field.type().matches(value)) {
                ctx.error(file, path, "expected " + field.type().description + ", found " + describe(value));
                if (field.required()) {
                    usable = false;
                }
            }
        }
        List<String> known = fieldOrder();
        for (Map.Entry<String, JsonNode> entry : config.properties()) {
            if (!known.contains(entry.getKey())) {
                ctx.warning(file, BundleReadContext.path(prefix, entry.getKey()), "unknown field, kept as is");
            }
        }
        return usable;
    }

    /** A copy of {@code config} with the known fields first, in the spec's order, then the rest alphabetically. */
    ObjectNode ordered(ObjectNode config) {
        ObjectNode out = config.objectNode();
        for (String name : fieldOrder()) {
            if (config.has(name)) {
                out.set(name, config.get(name));
            }
        }
        List<String> rest = new ArrayList<>();
        config.fieldNames().forEachRemaining(name -> {
            if (!out.has(name)) {
                rest.add(name);
            }
        });
        rest.sort(null);
        rest.forEach(name -> out.set(name, config.get(name)));
        return out;
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) return "a string";
        if (value.isBoolean()) return value.asText();
        if (value.isNumber()) return "a number";
        if (value.isArray()) return "an array";
        if (value.isObject()) return "an object";
        if (value.isNull()) return "null";
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Field req(String name, Type type) {
        return new Field(name, type, true);
    }

    private static Field opt(String name, Type type) {
        return new Field(name, type, false);
    }
}
