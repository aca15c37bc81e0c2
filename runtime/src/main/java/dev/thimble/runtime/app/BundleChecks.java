package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.expressions.ExpressionWalker.Site;
import dev.thimble.runtime.expressions.ExpressionWalker.Slot;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.thimble.runtime.app.Findings.describe;
import static dev.thimble.runtime.app.Findings.quoted;

/** The per-entity checks of one validation (STITCH-SPEC §1, §3–§7); rule documents go to {@link RuleChecks}. */
final class BundleChecks {

    static final List<String> TRIGGER_TYPES = List.of("DATABASE", "SCHEDULED", "AUTHENTICATION");
    static final List<String> OPERATION_TYPES = List.of("INSERT", "UPDATE", "REPLACE", "DELETE",
            "CREATE_COLLECTION", "MODIFY_COLLECTION", "RENAME_COLLECTION", "SHARD_COLLECTION", "DROP_COLLECTION",
            "RESHARD_COLLECTION", "REFINE_COLLECTION_SHARD_KEY", "CREATE_INDEXES", "DROP_INDEXES", "DROP_DATABASE");
    static final List<String> AUTH_ACTIONS = List.of("CREATE", "LOGIN", "DELETE");
    static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "*");
    static final List<String> VALIDATION_METHODS = List.of("NO_VALIDATION", "SECRET_AS_QUERY_PARAM", "VERIFY_PAYLOAD");
    static final List<String> PROVIDER_TYPES = List.of("anon-user", "local-userpass", "api-key", "custom-token",
            "custom-function", "oauth2-google", "oauth2-facebook", "oauth2-apple");
    static final List<String> SERVICE_TYPES = List.of("mongodb-atlas", "mongodb", "http", "twilio", "aws", "aws-s3",
            "aws-ses", "github", "gcm");

    private static final Pattern CLIENT_APP_ID = Pattern.compile("[a-z0-9][a-z0-9_-]*-[a-z]{5}");

    private final Findings f;
    private final AppModel app;
    private final JavaScriptSyntax javaScript;
    private final RuleChecks rules;

    BundleChecks(Findings findings, JavaScriptSyntax javaScript) {
        this.f = findings;
        this.app = findings.app();
        this.javaScript = javaScript;
        this.rules = new RuleChecks(findings);
    }

    void checkAll() {
        metadata();
        Set<String> seen = new HashSet<>();
        app.authProviders().forEach(p -> authProvider(p, seen));
        seen.clear();
        app.functions().forEach(fn -> function(fn, seen));
        seen.clear();
        app.services().forEach(s -> service(s, seen));
        seen.clear();
        app.triggers().forEach(t -> trigger(t, seen));
        seen.clear();
        app.values().forEach(v -> value(v, seen));
        seen.clear();
        app.endpoints().forEach(e -> endpoint(e, seen));
        new UnservedParts(f).check();
        DataApiChecks.check(f, app);
    }

    // ---- stitch.json ------------------------------------------------------------------------

    private void metadata() {
        String file = f.file("app", "stitch.json");
        JsonNode metadata = app.metadata().object();
        required(file, metadata, "name", "name", "the app's name");
        String appId = required(file, metadata, "app_id", "app_id",
                "the client app id, <name>-<5 lowercase letters>, e.g. \"todo-abcde\"");
        if (appId != null && !ClientAppIds.usable(appId)) {
            f.error(file, "app_id", "app_id " + quoted(appId) + " cannot name the app's folder under the Thimble home (its data"
                    + " and secrets): use letters, digits, '.', '_' and '-' only, starting with a letter or digit"
                    + " (`thimble import --app-id ID` sets one while importing)");
        } else if (appId != null && !CLIENT_APP_ID.matcher(appId).matches()) {
            f.warning(file, "app_id", "app_id " + quoted(appId) + " does not have the shape of a client app id,"
                    + " <name>-<5 lowercase letters> (e.g. \"todo-abcde\"); clients and webhook URLs use it");
        }
        allowedRequestOrigins(file, metadata.path("security").get("allowed_request_origins"));
        JsonNode customUserData = metadata.get("custom_user_data_config");
        if (customUserData != null && customUserData.isObject() && customUserData.path("enabled").asBoolean(false)) {
            customUserData(file, customUserData);
        }
    }

    /**
     * A list that isn't a list of origins would be read as "no list" (any origin may call) or never match a
     * browser, so both are errors naming the entry and the shape to write.
     */
    private void allowedRequestOrigins(String file, JsonNode origins) {
        String field = "security.allowed_request_origins";
        if (origins == null || origins.isNull()) {
            return;
        }
        if (!origins.isArray()) {
            f.error(file, field, "allowed_request_origins is a list of origins, e.g. [\"https://shop.example.com\"], not "
                    + describe(origins) + "; an empty list lets every origin call");
            return;
        }
        for (int i = 0; i < origins.size(); i++) {
            JsonNode origin = origins.get(i);
            if (!origin.isTextual() || !OriginSyntax.isOrigin(origin.asText())) {
                f.error(file, field + "[" + i + "]", describe(origin)
                        + " is not an origin; write <scheme>://<host>[:port] with no path or trailing slash, as browsers"
                        + " send it, e.g. \"http://localhost:3000\"");
            }
        }
    }

    private void customUserData(String file, JsonNode config) {
        String prefix = "custom_user_data_config.";
        String serviceField = config.has("mongo_service_name") || !config.has("mongo_service_id")
                ? "mongo_service_name" : "mongo_service_id";
        String service = required(file, config, serviceField, prefix + serviceField,
                "the name of the MongoDB service that holds custom user data");
        if (service != null) {
            f.mongoServiceRef(file, prefix + serviceField, service, "custom user data");
        }
        required(file, config, "database_name", prefix + "database_name", "the database of the custom user data collection");
        required(file, config, "collection_name", prefix + "collection_name", "the custom user data collection");
        required(file, config, "user_id_field", prefix + "user_id_field",
                "the field that holds the user id, e.g. \"user_id\"");
        String onCreation = text(config, "on_user_creation_function_name");
        if (onCreation != null && !onCreation.isEmpty()) {
            f.functionRef(file, prefix + "on_user_creation_function_name", onCreation, "");
        }
    }

    // ---- auth providers -----------------------------------------------------------------------

    private void authProvider(AuthProviderDef provider, Set<String> seen) {
        String name = provider.name();
        String file = f.file("auth-provider:" + name, name.isEmpty() ? "auth_providers" : "auth_providers/" + name + ".json");
        JsonNode node = provider.config().object();
        if (name.isEmpty()) {
            f.error(file, "name", "\"name\" is missing; expected the provider's name, usually its type (e.g. \"local-userpass\")");
        } else if (!seen.add(name)) {
            f.error(file, "name", "another auth provider is also named " + quoted(name) + "; provider names must be unique");
        }
        String type = required(file, node, "type", "type", "the provider type: " + String.join(", ", PROVIDER_TYPES));
        if (type != null && !PROVIDER_TYPES.contains(type)) {
            f.warning(file, "type", "unknown provider type " + quoted(type) + "; Thimble knows "
                    + String.join(", ", PROVIDER_TYPES) + "; nobody can log in with this provider");
        }
        JsonNode config = node.get("config");
        if ("custom-function".equals(type)) {
            String function = required(file, config, "authFunctionName", "config.authFunctionName",
                    "the name of the function that authenticates users; " + f.functionListing());
            if (function != null) {
                f.functionRef(file, "config.authFunctionName", function, "");
            }
        }
        if ("local-userpass".equals(type) && config != null) {
            userpassFunction(file, config, "runConfirmationFunction", "confirmationFunctionName", "confirms new users");
            userpassFunction(file, config, "runResetFunction", "resetFunctionName", "resets passwords");
        }
        secretConfig(file, node);
    }

    private void userpassFunction(String file, JsonNode config, String switchField, String nameField, String purpose) {
        if (!config.path(switchField).asBoolean(false)) {
            return;
        }
        String function = required(file, config, nameField, "config." + nameField,
                "the name of the function that " + purpose + " (" + switchField + " is true); " + f.functionListing());
        if (function != null) {
            f.functionRef(file, "config." + nameField, function, "");
        }
    }

    /** {@code secret_config}: config field → secret name, or → a list of secret names (custom-token {@code signingKeys}). */
    private void secretConfig(String file, JsonNode node) {
        JsonNode secretConfig = node.get("secret_config");
        if (secretConfig == null || secretConfig.isNull()) {
            return;
        }
        if (!secretConfig.isObject()) {
            f.error(file, "secret_config", "expected an object mapping config fields to secret names, found " + describe(secretConfig));
            return;
        }
        for (Map.Entry<String, JsonNode> entry : secretConfig.properties()) {
            String field = "secret_config." + entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isTextual()) {
                if (!value.asText().isEmpty()) {
                    f.secretRef(file, field, value.asText(), "");
                }
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (value.get(i).isTextual()) {
                        f.secretRef(file, field + "[" + i + "]", value.get(i).asText(), "");
                    } else {
                        f.error(file, field + "[" + i + "]", "expected a secret name, found " + describe(value.get(i)));
                    }
                }
            } else {
                f.error(file, field, "expected a secret name, found " + describe(value));
            }
        }
    }

    // ---- functions ----------------------------------------------------------------------------

    private void function(FunctionDef function, Set<String> seen) {
        String name = function.name();
        String file = f.file("function:" + name, name.isEmpty() ? "functions" : "functions/" + name + "/config.json");
        JsonNode node = function.config().object();
        if (name.isEmpty()) {
            f.error(file, "name", "\"name\" is missing; every function needs a unique name");
        } else if (!seen.add(name)) {
            f.error(file, "name", "another function is also named " + quoted(name) + "; function names must be unique");
        }
        source(f.file("function-source:" + name, function.sourcePath()), function.source());
        canEvaluate(file, node);
        runAsUserScript(file, node);
    }

    /** A function or webhook source: parses (never runs), and assigns {@code exports}. */
    private void source(String file, String source) {
        if (source == null || source.isBlank()) {
            f.error(file, "", "the source is empty; expected exports = function(...) { ... }");
            return;
        }
        javaScript.check(source, file).ifPresentOrElse(
                error -> f.error(file, "line " + error.line(),
                        error.message() + (error.column() > 0 ? " (column " + error.column() + ")" : "")),
                () -> {
                    if (!JavaScriptSyntax.assignsExports(source)) {
                        f.warning(file, "", "the source never assigns exports, so calling it returns undefined;"
                                + " expected exports = function(...) { ... }");
                    }
                });
    }

    private void canEvaluate(String file, JsonNode node) {
        JsonNode canEvaluate = node.get("can_evaluate");
        if (canEvaluate != null && !canEvaluate.isNull()) {
            rules.expression(file, new Site("can_evaluate", canEvaluate, Slot.CAN_EVALUATE));
        }
    }

    private void runAsUserScript(String file, JsonNode node) {
        String field = "run_as_user_id_script_source";
        String script = text(node, field);
        if (script == null || script.isBlank()) {
            return;
        }
        javaScript.check(script, field).ifPresent(error -> f.error(file, field,
                "does not parse as JavaScript: " + error.message() + " (line " + error.line()
                        + (error.column() > 0 ? ", column " + error.column() : "") + ")"));
    }

    // ---- services, rules, webhooks ------------------------------------------------------------

    private void service(ServiceDef service, Set<String> seen) {
        String name = service.name();
        String file = f.file("service:" + name, name.isEmpty() ? "services" : "services/" + name + "/config.json");
        JsonNode node = service.config().object();
        if (name.isEmpty()) {
            f.error(file, "name", "\"name\" is missing; every service needs a unique name");
        } else if (!seen.add(name)) {
            f.error(file, "name", "another service is also named " + quoted(name) + "; service names must be unique");
        }
        String type = required(file, node, "type", "type", "the service type, e.g. mongodb-atlas, http, twilio");
        if (type != null && !SERVICE_TYPES.contains(type)) {
            f.warning(file, "type", "unknown service type " + quoted(type) + "; Thimble knows "
                    + String.join(", ", SERVICE_TYPES) + "; functions cannot use this service");
        }
        secretConfig(file, node);
        String defaultRuleFile = f.file("default-rule:" + name, "services/" + name + "/default_rule.json");
        if (service.isMongo()) {
            Set<String> namespaces = new HashSet<>();
            service.collectionRules().forEach(rule -> collectionRule(name, rule, namespaces));
            if (service.defaultRule() != null) {
                rules.ruleDocument(defaultRuleFile, service.defaultRule().object());
            }
            for (ServiceRuleDef rule : service.serviceRules()) {
                f.error(serviceRuleFile(name, rule.name()), "", "rule " + quoted(rule.name())
                        + " is a service rule (name, actions, when), but " + quoted(name) + " is a MongoDB service;"
                        + " MongoDB services take collection rules (<database>.<collection>.json with roles and filters)");
            }
        } else {
            String kind = "service " + quoted(name) + " is of type " + quoted(service.type());
            for (CollectionRuleDef rule : service.collectionRules()) {
                f.error(collectionRuleFile(name, rule), "", "collection rules apply only to MongoDB services"
                        + " (mongodb-atlas, mongodb); " + kind);
            }
            if (service.defaultRule() != null) {
                f.error(defaultRuleFile, "", "a default rule applies only to MongoDB services (mongodb-atlas, mongodb); " + kind);
            }
            Set<String> ruleNames = new HashSet<>();
            service.serviceRules().forEach(rule -> serviceRule(name, rule, ruleNames));
        }
        Set<String> webhookNames = new HashSet<>();
        service.webhooks().forEach(webhook -> webhook(service, webhook, webhookNames));
    }

    private String collectionRuleFile(String service, CollectionRuleDef rule) {
        return f.file("rule:" + service + "/" + rule.namespace(), "services/" + service + "/rules/" + rule.namespace() + ".json");
    }

    private String serviceRuleFile(String service, String rule) {
        return f.file("service-rule:" + service + "/" + rule, "services/" + service + "/rules/" + rule + ".json");
    }

    private void collectionRule(String service, CollectionRuleDef rule, Set<String> namespaces) {
        String file = collectionRuleFile(service, rule);
        JsonNode node = rule.config().object();
        String database = required(file, node, "database", "database", "the database the rule is for");
        String collection = required(file, node, "collection", "collection", "the collection the rule is for");
        if (database != null && collection != null && !namespaces.add(rule.namespace())) {
            f.error(file, "", "another rule of service " + quoted(service) + " is also for " + rule.namespace()
                    + "; a collection has one rule");
        }
        rules.ruleDocument(file, node);
    }

    private void serviceRule(String service, ServiceRuleDef rule, Set<String> seen) {
        String name = rule.name();
        String file = serviceRuleFile(service, name);
        JsonNode node = rule.config().object();
        if (name.isEmpty()) {
            f.error(file, "name", "\"name\" is missing; every service rule needs a name");
        } else if (!seen.add(name)) {
            f.error(file, "name", "another rule of service " + quoted(service) + " is also named " + quoted(name)
                    + "; rule names must be unique");
        }
        JsonNode when = node.get("when");
        if (when != null && !when.isNull()) {
            rules.expression(file, new Site("when", when, Slot.SERVICE_RULE_WHEN));
        }
        JsonNode actions = node.get("actions");
        if (actions != null && !actions.isNull() && !actions.isArray()) {
            f.error(file, "actions", "expected an array of action names, e.g. [\"get\", \"post\"], found " + describe(actions));
        } else if (actions == null || actions.isNull() || actions.isEmpty()) {
            f.warning(file, "actions", "the rule lists no actions, so it allows no call; list actions, e.g. [\"get\", \"post\"]");
        }
    }

    private void webhook(ServiceDef service, WebhookDef webhook, Set<String> seen) {
        String name = webhook.name();
        String base = "services/" + service.name() + "/incoming_webhooks/" + name;
        String key = service.name() + "/" + name;
        String file = f.file("webhook:" + key, base + "/config.json");
        JsonNode node = webhook.config().object();
        if (name.isEmpty()) {
            f.error(file, "name", "\"name\" is missing; every webhook needs a name, unique within its service");
        } else if (!seen.add(name)) {
            f.error(file, "name", "another webhook of service " + quoted(service.name()) + " is also named "
                    + quoted(name) + "; webhook names must be unique per service");
        }
        JsonNode options = node.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            f.error(file, "options", "expected an object {\"httpMethod\", \"validationMethod\", \"secret_name\"}, found "
                    + describe(options));
            options = null;
        }
        boolean http = "http".equals(service.type());
        oneOf(file, options, "httpMethod", "options.httpMethod", HTTP_METHODS, "HTTP method", http);
        String validation = oneOf(file, options, "validationMethod", "options.validationMethod", VALIDATION_METHODS,
                "validation method", http);
        secretName(file, options, "secret_name", "options.secret_name", "validationMethod", validation, "");
        source(f.file("webhook-source:" + key, base + "/source.js"), webhook.source());
        canEvaluate(file, node);
        runAsUserScript(file, node);
    }

    /** A field whose value must be one of {@code allowed}; required when {@code required}. Returns the value if valid. */
    private String oneOf(String file, JsonNode parent, String field, String path, List<String> allowed, String what,
                         boolean required) {
        JsonNode value = parent == null ? null : parent.get(field);
        String expected = "expected one of " + String.join(", ", allowed);
        if (value == null || value.isNull()) {
            if (required) {
                f.error(file, path, quoted(field) + " is missing; " + expected);
            }
            return null;
        }
        if (!value.isTextual() || !allowed.contains(value.asText())) {
            f.error(file, path, "unknown " + what + " " + describe(value) + "; " + expected);
            return null;
        }
        return value.asText();
    }

    /** The secret a validation method needs: required for SECRET_AS_QUERY_PARAM and VERIFY_PAYLOAD, and must be known. */
    private void secretName(String file, JsonNode parent, String field, String path, String validationField,
                            String validation, String subject) {
        String secret = parent == null ? null : text(parent, field);
        boolean needed = "SECRET_AS_QUERY_PARAM".equals(validation) || "VERIFY_PAYLOAD".equals(validation);
        if (secret == null || secret.isEmpty()) {
            if (needed) {
                f.error(file, path, subject + validationField + " " + validation + " needs a secret; set " + quoted(field)
                        + " to a secret's name; " + Findings.listing("secrets", new TreeSet<>(app.secretNames())));
            }
            return;
        }
        f.secretRef(file, path, secret, subject);
    }

    // ---- triggers -----------------------------------------------------------------------------

    private void trigger(TriggerDef trigger, Set<String> seen) {
        String name = trigger.name();
        String file = f.file("trigger:" + name, name.isEmpty() ? "triggers" : "triggers/" + name + ".json");
        JsonNode node = trigger.config().object();
        if (name.isEmpty()) {
            f.error(file, "name", "\"name\" is missing; every trigger needs a unique name");
        } else if (!seen.add(name)) {
            f.error(file, "name", "another trigger is also named " + quoted(name) + "; trigger names must be unique");
        }
        String type = oneOf(file, node, "type", "type", TRIGGER_TYPES, "trigger type", true);
        triggerFunction(file, node, trigger.functionName());
        JsonNode errorHandler = node.path("error_handler").path("config");
        if (errorHandler.path("enabled").asBoolean(false)) {
            String handler = required(file, errorHandler, "function_name", "error_handler.config.function_name",
                    "the error handler function (the handler is enabled); " + f.functionListing());
            if (handler != null) {
                f.functionRef(file, "error_handler.config.function_name", handler, "");
            }
        }
        if (type == null) {
            return;
        }
        JsonNode config = node.get("config");
        if (config == null || !config.isObject()) {
            f.error(file, "config", (config == null ? "\"config\" is missing" : "expected an object, found " + describe(config))
                    + "; a " + type + " trigger needs its config");
            return;
        }
        switch (type) {
            case "DATABASE" -> databaseTrigger(file, config);
            case "SCHEDULED" -> scheduledTrigger(file, config);
            case "AUTHENTICATION" -> authenticationTrigger(file, config);
            default -> throw new IllegalStateException(type);
        }
    }

    private void triggerFunction(String file, JsonNode node, String functionName) {
        if (!functionName.isEmpty()) {
            f.functionRef(file, "function_name", functionName, "");
            return;
        }
        JsonNode processors = node.path("event_processors");
        String fromProcessor = text(processors.path("FUNCTION").path("config"), "function_name");
        if (fromProcessor != null && !fromProcessor.isEmpty()) {
            f.functionRef(file, "event_processors.FUNCTION.config.function_name", fromProcessor, "");
        } else if (processors.has("AWS_EVENTBRIDGE")) {
            f.warning(file, "event_processors", "AWS EventBridge processors are not supported by Thimble;"
                    + " this trigger will deliver no events (give it a function_name instead)");
        } else {
            f.error(file, "function_name", "the trigger has no function; set \"function_name\"; " + f.functionListing());
        }
    }

    private void databaseTrigger(String file, JsonNode config) {
        String service = required(file, config, "service_name", "config.service_name",
                "the name of the MongoDB service to watch");
        if (service != null) {
            f.mongoServiceRef(file, "config.service_name", service, "a database trigger");
        }
        String database = optionalText(file, config, "database", "config.database", "a database name");
        String collection = optionalText(file, config, "collection", "config.collection", "a collection name");
        if (database != null && database.isEmpty()) {
            f.warning(file, "config.database", "the database is empty, so the trigger watches the whole cluster;"
                    + " the embedded database delivers no events for that (works on a real MongoDB)");
        } else if (database != null && collection != null && collection.isEmpty()) {
            f.warning(file, "config.collection", "the collection is empty, so the trigger watches all of database "
                    + quoted(database) + "; the embedded database delivers no events for that (works on a real MongoDB)");
        }
        JsonNode operations = config.get("operation_types");
        String expected = "expected a non-empty list of " + String.join(", ", OPERATION_TYPES.subList(0, 4))
                + " (later MongoDB versions also take " + String.join(", ", OPERATION_TYPES.subList(4, OPERATION_TYPES.size())) + ")";
        if (operations == null || operations.isNull()) {
            f.error(file, "config.operation_types", "\"operation_types\" is missing; " + expected);
        } else if (!operations.isArray() || operations.isEmpty()) {
            f.error(file, "config.operation_types", expected + ", found " + (operations.isArray() ? "[]" : describe(operations)));
        } else {
            for (int i = 0; i < operations.size(); i++) {
                JsonNode operation = operations.get(i);
                if (!operation.isTextual() || !OPERATION_TYPES.contains(operation.asText())) {
                    f.error(file, "config.operation_types[" + i + "]", "unknown operation type " + describe(operation)
                            + "; expected one of " + String.join(", ", OPERATION_TYPES));
                }
            }
        }
        for (String stage : List.of("match", "project")) {
            JsonNode value = config.get(stage);
            if (value != null && !value.isNull() && !value.isObject()) {
                f.error(file, "config." + stage, "expected an object (a $" + stage + " over the change event), found "
                        + describe(value));
            }
        }
    }

    private void scheduledTrigger(String file, JsonNode config) {
        String schedule = required(file, config, "schedule", "config.schedule",
                "a 5-field cron schedule (minute hour day-of-month month weekday), e.g. \"0 0 * * 1\"");
        if (schedule != null) {
            CronSyntax.problem(schedule).ifPresent(problem -> f.error(file, "config.schedule",
                    "schedule " + quoted(schedule) + " is not valid cron: " + problem));
        }
    }

    private void authenticationTrigger(String file, JsonNode config) {
        String actionField = config.has("action_type") || !config.has("operation_type") ? "action_type" : "operation_type";
        oneOf(file, config, actionField, "config." + actionField, AUTH_ACTIONS, "action type", true);
        JsonNode providers = config.get("providers");
        Set<String> known = app.authProviders().stream().flatMap(p -> Stream.of(p.name(), p.type()))
                .collect(Collectors.toCollection(TreeSet::new));
        if (providers == null || !providers.isArray() || providers.isEmpty()) {
            f.error(file, "config.providers", "expected a non-empty list of provider types, e.g. [\"local-userpass\"], found "
                    + (providers == null ? "nothing" : providers.isArray() ? "[]" : describe(providers)));
            return;
        }
        for (int i = 0; i < providers.size(); i++) {
            JsonNode provider = providers.get(i);
            if (!provider.isTextual()) {
                f.error(file, "config.providers[" + i + "]", "expected a provider type, found " + describe(provider));
            } else if (!known.contains(provider.asText())) {
                f.warning(file, "config.providers[" + i + "]", "the app has no auth provider " + describe(provider)
                        + ", so the trigger never fires for it; " + Findings.listing("auth providers", known));
            }
        }
    }

    // ---- values, endpoints --------------------------------------------------------------------

    private void value(ValueDef value, Set<String> seen) {
        String name = value.name();
        String file = f.file("value:" + name, name.isEmpty() ? "values" : "values/" + name + ".json");
        JsonNode node = value.config().object();
        if (name.isEmpty()) {
            f.error(file, "name", "\"name\" is missing; every value needs a unique name");
        } else if (!seen.add(name)) {
            f.error(file, "name", "another value is also named " + quoted(name) + "; value names must be unique");
        }
        if (!node.has("value")) {
            f.error(file, "value", "\"value\" is missing; expected any JSON value (with from_secret: true, a secret's name)");
        } else if (value.fromSecret()) {
            JsonNode secret = node.get("value");
            if (!secret.isTextual() || secret.asText().isEmpty()) {
                f.error(file, "value", "from_secret is true, so \"value\" must be a secret's name, found " + describe(secret));
            } else {
                f.secretRef(file, "value", secret.asText(), "");
            }
        }
    }

    private void endpoint(EndpointDef endpoint, Set<String> seen) {
        JsonNode node = endpoint.config().object();
        String route = endpoint.route();
        String method = endpoint.httpMethod();
        String file = f.file("endpoint:" + method + " " + route, "http_endpoints/config.json");
        String subject = "endpoint " + method + " " + (route.isEmpty() ? "(no route)" : route) + ": ";
        if (route.isEmpty()) {
            f.error(file, "route", subject + "\"route\" is missing; expected a path such as \"/orders\"");
        } else if (!route.startsWith("/")) {
            f.error(file, "route", subject + "a route starts with \"/\", e.g. \"/" + route + "\"");
        }
        if (!HTTP_METHODS.contains(method)) {
            f.error(file, "http_method", subject + "unknown HTTP method " + quoted(method) + "; expected one of "
                    + String.join(", ", HTTP_METHODS));
        }
        if (!route.isEmpty() && !seen.add(method + " " + route)) {
            f.error(file, "route", subject + "another endpoint has the same route and method");
        }
        String function = endpoint.functionName();
        if (function.isEmpty()) {
            f.error(file, "function_name", subject + "\"function_name\" is missing; " + f.functionListing());
        } else {
            f.functionRef(file, "function_name", function, subject);
        }
        String validationField = node.has("validation_method") || !node.has("verification_method") ? "validation_method" : "verification_method";
        String validation = text(node, validationField);
        if (validation != null && !VALIDATION_METHODS.contains(validation)) {
            f.error(file, validationField, subject + "unknown validation method " + quoted(validation)
                    + "; expected one of " + String.join(", ", VALIDATION_METHODS));
        }
        secretName(file, node, "secret_name", "secret_name", validationField, validation, subject);
    }

    // ---- field helpers ------------------------------------------------------------------------

    /** A required non-empty string field; reports it missing, empty or not a string, and returns null then. */
    private String required(String file, JsonNode parent, String field, String path, String expected) {
        JsonNode value = parent == null ? null : parent.get(field);
        if (value == null || value.isNull()) {
            f.error(file, path, quoted(field) + " is missing; expected " + expected);
            return null;
        }
        if (!value.isTextual()) {
            f.error(file, path, "expected " + expected + ", found " + describe(value));
            return null;
        }
        if (value.asText().isEmpty()) {
            f.error(file, path, quoted(field) + " is empty; expected " + expected);
            return null;
        }
        return value.asText();
    }

    /** An optional string field: its text, "" when absent; null (after reporting) when not a string. */
    private String optionalText(String file, JsonNode parent, String field, String path, String expected) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            f.error(file, path, "expected " + expected + ", found " + describe(value));
            return null;
        }
        return value.asText();
    }

    private static String text(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
