package dev.thimble.runtime.admin;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vendor's OpenAPI description of the admin API, read from {@code ../shared/spec/admin-api} of the
 * project root (or of a folder above it, for git worktrees), used as the oracle of the contract tests:
 * each response is validated against the schema the document gives its operation and status.
 */
final class AdminContract {
    static final String FILE = "shared/spec/admin-api/openapi-admin-v3.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode document;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private AdminContract(JsonNode document) {
        this.document = correct(document);
    }

    /**
     * Where the document contradicts itself, the test follows its examples and prose (what the
     * vendor's server answered), by correcting the schema here, each with its reason.
     */
    private static JsonNode correct(JsonNode document) {
        ObjectNode schemas = (ObjectNode) document.get("components").get("schemas");
        // "An empty string indicates that the app does not have a specified environment", yet allOf with
        // AppEnvironment (which lacks "") makes "" invalid: keep the nullable enum alone
        ObjectNode nullable = (ObjectNode) schemas.get("NullableAppEnvironment");
        nullable.set("allOf", JSON.createArrayNode().add(nullable.get("allOf").get(0)));
        // an authentication trigger's providers: the example (and every real client) has an array of provider
        // types; the schema says one string
        for (JsonNode part : schemas.get("AuthenticationTrigger").get("allOf")) {
            JsonNode providers = part.path("properties").path("config").path("properties").path("providers");
            if (providers instanceof ObjectNode p && p.has("enum")) {
                ObjectNode items = JSON.createObjectNode().put("type", "string");
                items.set("enum", p.get("enum"));
                p.removeAll();
                p.put("type", "array");
                p.set("items", items);
            }
        }
        // an API key's "disabled" is a string in the schema; the vendor's server (and every client) uses a boolean
        for (String name : new String[]{"ApiKey", "ApiKeyResponse"}) {
            ((ObjectNode) schemas.get(name).get("properties").get("disabled")).put("type", "boolean");
        }
        return document;
    }

    /** The document, or empty when no checkout has it next to it (CI has it). */
    static Optional<AdminContract> load() {
        Path dir = Path.of("").toAbsolutePath().getParent(); // the project root (tests run in runtime/)
        for (Path at = dir; at != null; at = at.getParent()) {
            Path file = at.resolveSibling(FILE);
            if (Files.isRegularFile(file)) {
                return Optional.of(new AdminContract(new YAMLMapper().readTree(file.toFile())));
            }
        }
        return Optional.empty();
    }

    static String missing() {
        return "The admin API's OpenAPI document (" + FILE + " beside the project root or a folder above it) is not here;"
                + " the contract tests need it (CI has it).";
    }

    /** Every operation of the document: method (upper case) and path template. */
    List<String[]> operations() {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    out.add(new String[]{op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey()});
                }
            }
        }
        return out;
    }

    /**
     * What is wrong with a response of {@code method template} with {@code status} and {@code body}
     * (null for none) by the document; empty when it conforms. A 4xx/5xx body must be the document's
     * Error shape; a 2xx status must be one the operation declares, and its body must match the schema
     * declared for it.
     */
    List<String> problems(String method, String template, int status, String body) {
        List<String> out = new ArrayList<>();
        if (status >= 400) {
            out.addAll(validate(document.at("/components/schemas/Error"), body, method + " " + template + " " + status));
            if (body == null || !body.contains("\"error\"") || !body.contains("\"error_code\"")) {
                out.add(method + " " + template + " " + status + ": the error body lacks error or error_code: " + body);
            }
            return out;
        }
        JsonNode op = document.get("paths").path(template).path(method.toLowerCase(java.util.Locale.ROOT));
        if (op.isMissingNode()) {
            return out; // a route real clients use beyond the document (AdminRoutesCoverageTest keeps the list)
        }
        JsonNode response = op.path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            out.add(method + " " + template + " answered " + status + ", which the document does not declare (it declares "
                    + names(op.path("responses")) + ")");
            return out;
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return out; // declared without a JSON body (a 204, or a zip)
        }
        out.addAll(validate(schema, body, method + " " + template + " " + status));
        return out;
    }

    private List<String> validate(JsonNode schema, String body, String what) {
        if (body == null || body.isEmpty()) {
            return List.of(what + ": the document declares a JSON body, none was sent");
        }
        ObjectNode root = (ObjectNode) schema.deepCopy();
        root.set("components", document.get("components")); // so "#/components/…" resolves from this root
        Schema compiled = registry.getSchema(root);
        List<Error> errors = compiled.validate(JSON.readTree(body));
        return errors.stream().map(e -> what + ": " + e.getInstanceLocation() + " " + e.getMessage() + " in " + abbreviate(body)).toList();
    }

    private static String names(JsonNode node) {
        return String.join(", ", node.propertyNames());
    }

    private static String abbreviate(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }
}
