package dev.thimble.runtime.apps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.Json;

import java.util.List;
import java.util.Locale;

/**
 * What a new item starts from: the source of a new function (blank, a query as the caller, an HTTP call
 * through a service, a trigger handler, a webhook handler) and the config of a new trigger, service,
 * endpoint, auth provider or rule, built from the few answers a "New ..." form asks for. Pure: the
 * results go to {@link AppEditor#create}, which validates them like any other structural change.
 */
public final class Starters {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Starters() {
    }

    /** The starting points for a new function's source. */
    public enum FunctionStarter {
        BLANK("Blank function"),
        QUERY_AS_CALLER("Database query as the caller"),
        HTTP_CALL("HTTP call through a service"),
        TRIGGER_HANDLER("Database trigger handler"),
        WEBHOOK_HANDLER("Webhook / HTTPS endpoint handler");

        private final String title;

        FunctionStarter(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        /**
         * The source.
         *
         * @param mongoService the MongoDB service a query uses (e.g. {@code mongodb-atlas})
         * @param httpService  the HTTP service a call goes through (e.g. {@code http})
         * @param namespace    {@code database.collection} a query or handler works on
         */
        public String source(String mongoService, String httpService, String namespace) {
            String[] ns = splitNamespace(namespace);
            return switch (this) {
                case BLANK -> StructureEdits.BLANK_FUNCTION;
                case QUERY_AS_CALLER -> "// Runs as the calling user: the collection's rules decide what it may read.\n"
                        + "exports = async function(filter) {\n"
                        + "  const items = context.services.get('" + mongoService + "').db('" + ns[0] + "').collection('" + ns[1] + "');\n"
                        + "  return items.find(filter || {}).toArray();\n"
                        + "};\n";
                case HTTP_CALL -> "// Goes through the HTTP service " + httpService + ": its rules decide which hosts it may reach.\n"
                        + "exports = async function(url) {\n"
                        + "  const response = await context.services.get('" + httpService + "').get({ url: url });\n"
                        + "  return JSON.parse(response.body.text());\n"
                        + "};\n";
                case TRIGGER_HANDLER -> "// Called by a database trigger with the change event.\n"
                        + "exports = async function(changeEvent) {\n"
                        + "  const { operationType, documentKey, fullDocument } = changeEvent;\n"
                        + "  console.log(operationType, JSON.stringify(documentKey));\n"
                        + "  const log = context.services.get('" + mongoService + "').db('" + ns[0] + "').collection('" + ns[1] + "_changes');\n"
                        + "  await log.insertOne({ operationType, documentKey, at: new Date() });\n"
                        + "};\n";
                case WEBHOOK_HANDLER -> "// Called with the request; what it sets on response is sent back.\n"
                        + "exports = async function({ query, headers, body }, response) {\n"
                        + "  const payload = body ? JSON.parse(body.text()) : {};\n"
                        + "  response.setStatusCode(200);\n"
                        + "  response.setHeader('Content-Type', 'application/json');\n"
                        + "  response.setBody(JSON.stringify({ received: payload }));\n"
                        + "};\n";
            };
        }
    }

    /** The kinds of trigger a form can create. */
    public enum TriggerKind { DATABASE, SCHEDULED, AUTHENTICATION }

    /** A database trigger: runs {@code function} on the given operations on {@code database.collection}. */
    public static Json databaseTrigger(String service, String database, String collection, List<String> operationTypes,
                                       boolean fullDocument, String function) {
        ObjectNode config = NODES.objectNode();
        config.put("service_name", require(service, "the MongoDB service"));
        config.put("database", require(database, "the database"));
        config.put("collection", require(collection, "the collection"));
        ArrayNode ops = config.putArray("operation_types");
        (operationTypes.isEmpty() ? List.of("INSERT") : operationTypes).forEach(op -> ops.add(op.toUpperCase(Locale.ROOT)));
        config.putObject("match");
        config.put("full_document", fullDocument);
        return trigger("DATABASE", config, function);
    }

    /** A scheduled trigger on a five-field UTC cron, e.g. {@code 0 * * * *} for hourly. */
    public static Json scheduledTrigger(String schedule, boolean skipCatchup, String function) {
        ObjectNode config = NODES.objectNode();
        config.put("schedule", require(schedule, "the schedule (a cron such as 0 * * * *)").strip());
        config.put("skip_catchup_events", skipCatchup);
        return trigger("SCHEDULED", config, function);
    }

    /** An authentication trigger on {@code actionType} (CREATE, LOGIN, DELETE) for the given providers. */
    public static Json authenticationTrigger(String actionType, List<String> providers, String function) {
        ObjectNode config = NODES.objectNode();
        config.put("action_type", require(actionType, "the action (CREATE, LOGIN or DELETE)").toUpperCase(Locale.ROOT));
        ArrayNode list = config.putArray("providers");
        providers.forEach(list::add);
        return trigger("AUTHENTICATION", config, function);
    }

    private static Json trigger(String type, ObjectNode config, String function) {
        ObjectNode root = NODES.objectNode();
        root.put("type", type);
        root.set("config", config);
        root.put("function_name", require(function, "the function it runs"));
        root.put("disabled", false);
        return Json.of(root);
    }

    /** The kinds of third-party service a form can create, with their config type. */
    public enum ServiceKind {
        HTTP("http", "HTTP"), TWILIO("twilio", "Twilio"), AWS("aws", "AWS"), PUSH("gcm", "Push (FCM/GCM)"),
        MONGODB("mongodb-atlas", "MongoDB");

        private final String type;
        private final String title;

        ServiceKind(String type, String title) {
            this.type = type;
            this.title = title;
        }

        public String type() {
            return type;
        }

        public String title() {
            return title;
        }
    }

    /** A new service's config; credentials are not asked for here (they belong in secrets). */
    public static Json service(ServiceKind kind) {
        ObjectNode root = NODES.objectNode();
        root.put("type", kind.type());
        ObjectNode config = root.putObject("config");
        switch (kind) {
            case TWILIO -> config.put("sid", "");
            case AWS -> config.put("region", "us-east-1").put("accessKeyId", "");
            case PUSH -> config.put("senderId", "");
            case MONGODB -> config.put("clusterName", "Cluster0");
            case HTTP -> { }
        }
        root.put("version", 1);
        return Json.of(root);
    }

    /** A service rule letting {@code actions} reach {@code hosts} (e.g. {@code https://api.example.com}). */
    public static Json serviceRule(List<String> actions, List<String> hosts) {
        ObjectNode root = NODES.objectNode();
        ArrayNode acts = root.putArray("actions");
        actions.forEach(acts::add);
        ObjectNode when = root.putObject("when");
        if (!hosts.isEmpty()) {
            ObjectNode host = when.putObject("%%args.url.host");
            ArrayNode in = host.putArray("%in");
            hosts.forEach(in::add);
        }
        return Json.of(root);
    }

    /** An HTTPS endpoint running {@code function}. */
    public static Json endpoint(String function) {
        ObjectNode root = NODES.objectNode();
        root.put("function_name", require(function, "the function it runs"));
        root.put("validation_method", "NO_VALIDATION");
        root.put("respond_result", true);
        root.put("fetch_custom_user_data", false);
        root.put("create_user_on_auth", false);
        root.put("disabled", false);
        return Json.of(root);
    }

    /** An incoming webhook run as the system user, answering with its result. */
    public static Json webhook() {
        ObjectNode root = NODES.objectNode();
        root.put("run_as_authed_user", false);
        root.put("run_as_user_id", "");
        root.put("run_as_user_id_script_source", "");
        root.put("respond_result", true);
        ObjectNode options = root.putObject("options");
        options.put("httpMethod", "POST");
        options.put("validationMethod", "NO_VALIDATION");
        return Json.of(root);
    }

    /** An auth provider of {@code type} (e.g. {@code anon-user}, {@code local-userpass}, {@code api-key}), enabled. */
    public static Json authProvider(String type) {
        ObjectNode root = NODES.objectNode();
        root.put("type", require(type, "the provider type"));
        ObjectNode config = root.putObject("config");
        if (type.equals("local-userpass")) {
            config.put("autoConfirm", true);
            config.put("resetPasswordUrl", "https://example.com/reset");
        }
        root.put("disabled", false);
        return Json.of(root);
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new EditRefusedException("A new item needs " + what + "; nothing was saved.");
        }
        return value.strip();
    }

    private static String[] splitNamespace(String namespace) {
        if (namespace != null) {
            int dot = namespace.indexOf('.');
            if (dot > 0 && dot < namespace.length() - 1) {
                return new String[] {namespace.substring(0, dot), namespace.substring(dot + 1)};
            }
        }
        return new String[] {"mydb", "mycollection"};
    }
}
