package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.apps.DataBrowser;
import dev.thimble.runtime.errors.ApiError;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * A service's commands ({@code …/services/{serviceId}/commands/…}): what the vendor's console asked a
 * data source when someone wrote a rule. A MongoDB service answers {@code list_databases} (its
 * databases' names), {@code list_collections} ({@code {database_name}} → its collections' names),
 * {@code list_namespaces} ({@code database.collection} of every collection), {@code generate_schema}
 * (a JSON schema of a sample of a collection) and {@code GET build_info} (the database server's
 * build). Databases that are Thimble's own state or MongoDB's ({@code admin}, {@code config},
 * {@code local}) are left out. A command another type of service does not have is a 400 listing the
 * ones it has; {@code validate_documents} is not served (501).
 */
final class ServiceCommandsResource {
    private static final String BASE = "/groups/{groupId}/apps/{appId}/services/{serviceId}/commands";
    /** The commands of a MongoDB service, with the body each takes. */
    static final Map<String, String> MONGO_COMMANDS = new java.util.LinkedHashMap<>();
    /** A sample larger than this is not needed to see a collection's shape, and would be slow. */
    private static final int SAMPLE_LIMIT = 1000;

    static {
        MONGO_COMMANDS.put("list_databases", "{}");
        MONGO_COMMANDS.put("list_collections", "{\"database_name\": \"…\"}");
        MONGO_COMMANDS.put("list_namespaces", "{}");
        MONGO_COMMANDS.put("generate_schema", "{\"database_name\": \"…\", \"collection_name\": \"…\", \"limit\": 100}");
        MONGO_COMMANDS.put("build_info", "(GET)");
    }

    private ServiceCommandsResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get(BASE + "/build_info", APP, call -> {
            mongo(call, "build_info");
            Document info = client(call).getDatabase("admin").runCommand(new Document("buildInfo", 1));
            ObjectNode out = AdminCall.JSON.createObjectNode();
            out.put("version", String.valueOf(info.get("version")));
            out.put("gitVersion", info.get("gitVersion") == null ? "" : String.valueOf(info.get("gitVersion")));
            ArrayNode versionArray = out.putArray("versionArray");
            if (info.get("versionArray") instanceof List<?> parts) {
                parts.forEach(p -> versionArray.add(p instanceof Number n ? n.intValue() : 0));
            }
            out.put("javascriptEngine", info.get("javascriptEngine") == null ? "none" : String.valueOf(info.get("javascriptEngine")));
            out.put("bits", String.valueOf(info.get("bits") == null ? 64 : info.get("bits")));
            out.put("debug", Boolean.TRUE.equals(info.get("debug")));
            out.put("maxBsonObjectSize", info.get("maxBsonObjectSize") instanceof Number n ? n.intValue() : 16 * 1024 * 1024);
            call.ok(out);
        });
        routes.post(BASE + "/generate_schema", APP, call -> {
            mongo(call, "generate_schema");
            call.ok(AdminCall.JSON.createObjectNode().set("schema", generateSchema(call)));
        });
        routes.post(BASE + "/{commandName}", APP, call -> {
            String command = call.param("commandName");
            if (command.equals("validate_documents")) {
                throw new ApiError(501, "NotImplemented", "Thimble does not serve the validate_documents command (sampling a collection"
                        + " against a schema) through its admin API yet.");
            }
            ServiceDef s = mongo(call, command);
            MongoClient client = client(call);
            switch (command) {
                case "list_databases" -> call.ok(names(databases(client)));
                case "list_collections" -> {
                    String database = required(call, "database_name");
                    call.ok(names(collections(client, database)));
                }
                case "list_namespaces" -> {
                    List<String> namespaces = new ArrayList<>();
                    for (String database : databases(client)) {
                        collections(client, database).forEach(c -> namespaces.add(database + "." + c));
                    }
                    call.ok(names(namespaces));
                }
                default -> throw ApiError.badRequest("InvalidRequest", "The service " + s.name() + " (" + s.type()
                        + ") has no command \"" + command + "\"; its commands are " + String.join(", ", MONGO_COMMANDS.keySet()) + ".");
            }
        });
    }

    /** The path's service, which must be a MongoDB service: only data sources have commands here. */
    private static ServiceDef mongo(AdminCall call, String command) {
        ServiceDef s = ServicesResource.service(call);
        if (!s.isMongo()) {
            throw ApiError.badRequest("InvalidRequest", "The service " + s.name() + " (" + s.type() + ") has no command \"" + command
                    + "\"; only a MongoDB data source has commands (" + String.join(", ", MONGO_COMMANDS.keySet()) + ").");
        }
        return s;
    }

    private static MongoClient client(AdminCall call) {
        return call.app().host().database().client();
    }

    private static String required(AdminCall call, String field) {
        JsonNode value = call.object().get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiError.badRequest("InvalidRequest", "\"" + field + "\" is required (a non-empty string).");
        }
        return value.asText();
    }

    private static List<String> databases(MongoClient client) {
        return client.listDatabaseNames().into(new ArrayList<>()).stream().filter(d -> !DataBrowser.isInternal(d)).sorted().toList();
    }

    private static List<String> collections(MongoClient client, String database) {
        if (DataBrowser.isInternal(database)) {
            throw ApiError.badRequest("InvalidRequest", "The database " + database + " is the server's own, not the app's.");
        }
        return client.getDatabase(database).listCollectionNames().into(new ArrayList<>()).stream()
                .filter(c -> !c.startsWith("system.")).sorted().toList();
    }

    private static ArrayNode names(List<String> names) {
        ArrayNode out = AdminCall.JSON.createArrayNode();
        names.forEach(out::add);
        return out;
    }

    /**
     * A JSON schema ({@code bsonType}s, as rules' schemas are written) of up to {@code limit} documents
     * of the collection: every field seen, with each type it had; a field in every sampled document is
     * required.
     */
    private static ObjectNode generateSchema(AdminCall call) {
        String database = required(call, "database_name");
        String collection = required(call, "collection_name");
        JsonNode limitNode = call.object().get("limit");
        if (limitNode == null || !limitNode.canConvertToInt() || limitNode.asInt() < 1) {
            throw ApiError.badRequest("InvalidRequest", "\"limit\" is required: how many documents to sample (1 to " + SAMPLE_LIMIT + ").");
        }
        int limit = Math.min(limitNode.asInt(), SAMPLE_LIMIT);
        if (DataBrowser.isInternal(database)) {
            throw ApiError.badRequest("InvalidRequest", "The database " + database + " is the server's own, not the app's.");
        }
        MongoCollection<Document> sample = client(call).getDatabase(database).getCollection(collection);
        List<Document> documents;
        try {
            documents = sample.find().limit(limit).into(new ArrayList<>());
        } catch (MongoException e) {
            throw ApiError.badRequest("InvalidRequest", "The collection " + database + "." + collection + " cannot be sampled: " + e.getMessage());
        }
        ObjectNode schema = objectSchema(documents);
        schema.put("title", collection);
        return schema;
    }

    private static ObjectNode objectSchema(List<Document> documents) {
        Map<String, List<Object>> fields = new TreeMap<>();
        Map<String, Integer> seen = new TreeMap<>();
        for (Document document : documents) {
            for (Map.Entry<String, Object> field : document.entrySet()) {
                fields.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).add(field.getValue());
                seen.merge(field.getKey(), 1, Integer::sum);
            }
        }
        ObjectNode schema = AdminCall.JSON.createObjectNode().put("bsonType", "object");
        ArrayNode required = AdminCall.JSON.createArrayNode();
        ObjectNode properties = schema.putObject("properties");
        for (Map.Entry<String, List<Object>> field : fields.entrySet()) {
            properties.set(field.getKey(), valueSchema(field.getValue()));
            if (seen.get(field.getKey()) == documents.size()) {
                required.add(field.getKey());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static ObjectNode valueSchema(List<Object> values) {
        java.util.LinkedHashSet<String> types = new java.util.LinkedHashSet<>();
        List<Document> nested = new ArrayList<>();
        for (Object value : values) {
            types.add(bsonType(value));
            if (value instanceof Document d) {
                nested.add(d);
            }
        }
        ObjectNode out = types.size() == 1 && types.contains("object") ? objectSchema(nested) : AdminCall.JSON.createObjectNode();
        if (types.size() == 1) {
            out.put("bsonType", types.iterator().next());
        } else {
            ArrayNode list = out.putArray("bsonType");
            types.forEach(list::add);
        }
        return out;
    }

    private static String bsonType(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "string";
            case Integer i -> "int";
            case Long l -> "long";
            case Double d -> "double";
            case Boolean b -> "bool";
            case java.util.Date d -> "date";
            case org.bson.types.ObjectId o -> "objectId";
            case org.bson.types.Decimal128 d -> "decimal";
            case org.bson.types.Binary b -> "binData";
            case Document d -> "object";
            case List<?> l -> "array";
            default -> "string";
        };
    }
}
