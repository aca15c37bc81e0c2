package dev.thimble.runtime.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the legitimate older and newer spellings of a config into the one form the model holds
 * (the Stitch 2018 form), in place and silently: {@code _id}, auth-trigger {@code operation_type},
 * trigger {@code event_processors.FUNCTION}, DB-trigger {@code service_id}, service-rule {@code when}
 * as a string, {@code mongo_service_id}, top-level {@code allowed_request_origins}. Only what cannot
 * be rewritten is reported.
 */
final class Normalisation {
    private Normalisation() {
    }

    /** {@code _id} → {@code id} (an existing {@code id} wins). */
    static void ids(ObjectNode config) {
        if (config.has("_id")) {
            if (config.has("id")) {
                config.remove("_id");
            } else {
                rename(config, "_id", "id");
            }
        }
    }

    /**
     * Renames a field keeping its position, so that files read in one form and written in the
     * other differ only in that key.
     */
    static void rename(ObjectNode object, String from, String to) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        object.removeAll();
        for (Map.Entry<String, JsonNode> entry : entries) {
            object.set(entry.getKey().equals(from) ? to : entry.getKey(), entry.getValue());
        }
    }

    /** Auth trigger {@code operation_type} → {@code action_type}; v2 {@code event_processors.FUNCTION} → top-level {@code function_name}. */
    static void trigger(ObjectNode trigger, String file, String prefix, BundleReadContext ctx) {
        if ("AUTHENTICATION".equals(trigger.path("type").asText()) && trigger.get("config") instanceof ObjectNode config
                && config.has("operation_type")) {
            if (config.has("action_type")) {
                config.remove("operation_type");
            } else {
                rename(config, "operation_type", "action_type");
            }
        }
        if (trigger.get("event_processors") instanceof ObjectNode processors
                && processors.path("FUNCTION").path("config").path("function_name").isTextual()) {
            String fromProcessor = processors.path("FUNCTION").path("config").path("function_name").asText();
            String topLevel = trigger.path("function_name").asText("");
            if (topLevel.isEmpty()) {
                trigger.put("function_name", fromProcessor);
            } else if (!topLevel.equals(fromProcessor)) {
                ctx.warning(file, BundleReadContext.path(prefix, "event_processors.FUNCTION.config.function_name"),
                        "names function '" + fromProcessor + "' but function_name names '" + topLevel
                                + "'; using function_name, remove one of them");
            }
            processors.remove("FUNCTION");
            if (processors.isEmpty()) {
                trigger.remove("event_processors");
            }
        }
    }

    /** A service rule's {@code when} given as a JSON string → the parsed expression; false (and an error) when it does not parse. */
    static boolean serviceRuleWhen(ObjectNode rule, String file, String prefix, BundleReadContext ctx) {
        JsonNode when = rule.get("when");
        if (when == null || !when.isTextual()) {
            return true;
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(when.asText());
            if (parsed != null && (parsed.isObject() || parsed.isBoolean())) {
                rule.set("when", parsed);
                return true;
            }
            ctx.error(file, BundleReadContext.path(prefix, "when"),
                    "the string does not hold an expression (a JSON object); write 'when' as an object, e.g. {\"%%args.url.host\": \"example.com\"}");
        } catch (JsonProcessingException e) {
            ctx.error(file, BundleReadContext.path(prefix, "when"),
                    "the string is not valid JSON (" + e.getOriginalMessage() + "); write 'when' as an object");
        }
        return false;
    }

    /**
     * Root config: {@code config_version} dropped (the layout is known, and the writer writes its
     * own), top-level {@code allowed_request_origins} → {@code security.allowed_request_origins}.
     */
    static void metadata(ObjectNode metadata) {
        metadata.remove("config_version");
        JsonNode origins = metadata.remove("allowed_request_origins");
        if (origins != null) {
            ObjectNode security = metadata.get("security") instanceof ObjectNode s ? s : metadata.putObject("security");
            if (!security.has("allowed_request_origins")) {
                security.set("allowed_request_origins", origins);
            }
        }
    }

    /** {@code custom_user_data_config.mongo_service_id} → {@code mongo_service_name}, resolved through service ids when it is one. */
    static void customUserData(ObjectNode metadata, List<BundleParts.Service> services) {
        if (!(metadata.get("custom_user_data_config") instanceof ObjectNode config) || !config.has("mongo_service_id")) {
            return;
        }
        if (config.has("mongo_service_name")) {
            config.remove("mongo_service_id");
            return;
        }
        String idOrName = config.path("mongo_service_id").asText("");
        rename(config, "mongo_service_id", "mongo_service_name");
        // older docs put the service's name in mongo_service_id, exports its id: accept both
        serviceNameById(services, idOrName).ifPresent(name -> config.put("mongo_service_name", name));
    }

    /** DB trigger {@code config.service_id} → {@code config.service_name}; an id no service has stays, with an error. */
    static void triggerService(BundleParts.Part trigger, List<BundleParts.Service> services, BundleReadContext ctx) {
        if (!(trigger.config().get("config") instanceof ObjectNode config) || !config.has("service_id")) {
            return;
        }
        if (config.path("service_name").isTextual() && !config.path("service_name").asText().isEmpty()) {
            config.remove("service_id");
            return;
        }
        String id = config.path("service_id").asText("");
        Optional<String> name = serviceNameById(services, id);
        if (name.isPresent()) {
            config.remove("service_name");
            rename(config, "service_id", "service_name");
            config.put("service_name", name.get());
        } else {
            ctx.error(trigger.file(), BundleReadContext.path(trigger.field(), "config.service_id"),
                    "no service has id '" + id + "'; set config.service_name to the name of the MongoDB service instead");
        }
    }

    /**
     * A 2018 webhook's {@code options.secretAsQueryParam} (the form before {@code validationMethod}):
     * true → {@code SECRET_AS_QUERY_PARAM}; false with a secret → {@code VERIFY_PAYLOAD}; no secret →
     * {@code NO_VALIDATION}. The secret itself stays for {@link SecretExtraction} to move into the store.
     */
    static void legacyWebhookOptions(ObjectNode webhook) {
        if (!(webhook.get("options") instanceof ObjectNode options) || !options.has("secretAsQueryParam")) {
            return;
        }
        JsonNode asQuery = options.remove("secretAsQueryParam");
        if (options.has("validationMethod")) {
            return;
        }
        boolean hasSecret = options.path("secret").isTextual() && !options.path("secret").asText().isEmpty()
                || options.path("secret_name").isTextual() && !options.path("secret_name").asText().isEmpty();
        options.put("validationMethod", !hasSecret ? "NO_VALIDATION" : asQuery.asBoolean(false) ? "SECRET_AS_QUERY_PARAM" : "VERIFY_PAYLOAD");
    }

    private static Optional<String> serviceNameById(List<BundleParts.Service> services, String id) {
        return services.stream()
                .filter(s -> !id.isEmpty() && id.equals(s.config.path("id").asText(null)))
                .map(BundleParts.Service::name)
                .findFirst();
    }
}
