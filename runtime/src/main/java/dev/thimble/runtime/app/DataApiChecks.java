package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The Data API's {@code data_api_config.json} (kept as a file of the bundle, read by the server on each
 * request): the fields the server reads must have values it understands, and a secret-based
 * validation method must name a secret.
 */
final class DataApiChecks {
    static final List<String> FILES = List.of("data_api_config.json", "http_endpoints/data_api_config.json");
    private static final List<String> VERSIONS = List.of("beta", "v1");
    private static final List<String> RETURN_TYPES = List.of("JSON", "EJSON");

    private DataApiChecks() {
    }

    static void check(Findings f, AppModel app) {
        for (String file : FILES) {
            String text = app.otherFiles().get(file);
            if (text != null) {
                check(f, file, text);
            }
        }
    }

    private static void check(Findings f, String file, String text) {
        JsonNode config;
        try {
            config = Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            f.error(file, "", "not valid JSON (" + e.getOriginalMessage() + "); the Data API cannot start from it");
            return;
        }
        if (config == null || !config.isObject()) {
            f.error(file, "", "expected an object {\"disabled\", \"versions\", \"return_type\", …}");
            return;
        }
        JsonNode versions = config.get("versions");
        if (versions != null && !versions.isArray()) {
            f.error(file, "versions", "expected an array of versions such as [\"v1\"]");
        } else if (versions != null) {
            for (int i = 0; i < versions.size(); i++) {
                if (!VERSIONS.contains(versions.get(i).asText())) {
                    f.error(file, "versions[" + i + "]", "unknown Data API version " + versions.get(i) + "; expected beta or v1");
                }
            }
        }
        String returnType = config.path("return_type").asText("JSON");
        if (!RETURN_TYPES.contains(returnType)) {
            f.error(file, "return_type", "unknown return type \"" + returnType + "\"; expected JSON or EJSON");
        }
        String field = config.has("validation_method") || !config.has("verification_method") ? "validation_method" : "verification_method";
        String validation = config.path(field).asText("NO_VALIDATION");
        if (!BundleChecks.VALIDATION_METHODS.contains(validation)) {
            f.error(file, field, "unknown validation method \"" + validation + "\"; expected one of "
                    + String.join(", ", BundleChecks.VALIDATION_METHODS));
        } else if (!validation.equals("NO_VALIDATION")) {
            String secret = config.path("secret_name").asText("");
            if (secret.isEmpty()) {
                f.error(file, "secret_name", validation + " needs \"secret_name\": the secret the requests are checked against");
            } else {
                f.secretRef(file, "secret_name", secret, "the Data API: ");
            }
        }
    }
}
