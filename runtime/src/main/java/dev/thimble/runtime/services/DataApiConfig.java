package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.NotFound;
import dev.thimble.runtime.errors.InternalFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.app.AppModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An app's {@code data_api_config.json} (at the bundle root in the Stitch layout, in
 * {@code http_endpoints/} or {@code https_endpoints/} in the later ones): whether the Data API is on,
 * which versions, the default response format, whose identity the actions run as, and how
 * requests are validated.
 */
record DataApiConfig(boolean disabled, List<String> versions, boolean ejsonByDefault, boolean runAsSystem, String runAsUserId,
                     String validationMethod, String secretName, boolean fetchCustomUserData, JsonNode canEvaluate,
                     boolean createUserOnAuth) {
    static final List<String> FILES = List.of("data_api_config.json", "http_endpoints/data_api_config.json",
            "https_endpoints/data_api_config.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The app's config; a 404 that says how to turn the Data API on when the app has none. */
    static DataApiConfig of(AppModel app) {
        String text = null;
        for (String file : FILES) {
            text = app.otherFiles().get(file);
            if (text != null) {
                break;
            }
        }
        if (text == null) {
            throw new NotFound("DataApiNotEnabled", "this app does not enable the Data API: add http_endpoints/data_api_config.json"
                    + " ({\"disabled\": false, \"versions\": [\"v1\"], \"return_type\": \"JSON\"})");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new InternalFailure("InternalServerError", "data_api_config.json is not a JSON object; fix it (thimble validate shows where)");
        }
        List<String> versions = new ArrayList<>();
        node.path("versions").forEach(v -> versions.add(v.asText()));
        String runAsUser = node.path("run_as_user_id").asText("");
        return new DataApiConfig(node.path("disabled").asBoolean(false), versions,
                "EJSON".equals(node.path("return_type").asText("JSON").toUpperCase(Locale.ROOT)),
                node.path("run_as_system").asBoolean(false), runAsUser,
                node.path("validation_method").asText(node.path("verification_method").asText("NO_VALIDATION")),
                node.path("secret_name").asText(""), node.path("fetch_custom_user_data").asBoolean(false),
                node.get("can_evaluate"), node.path("create_user_on_auth").asBoolean(false));
    }
}
