package dev.thimble.runtime.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/** Names the feature an admin path below an app belongs to, for the 501 of a route Thimble does not serve. */
final class UnservedFeatures {
    private static final Map<String, String> FEATURES = new LinkedHashMap<>();

    static {
        FEATURES.put("graphql", "GraphQL (not served by Thimble)");
        FEATURES.put("validation_settings/graphql", "GraphQL validation settings (GraphQL is not served by Thimble)");
        FEATURES.put("validation_settings", "schema validation settings");
        FEATURES.put("sync", "Device Sync administration");
        FEATURES.put("service", "a data source's Flexible Sync configuration (Device Sync administration)");
        FEATURES.put("hosting", "static hosting (not served by Thimble)");
        FEATURES.put("drafts", "deployment drafts (every admin write is live at once in Thimble)");
        FEATURES.put("deployments", "deployment history (every admin write is live at once in Thimble)");
        FEATURES.put("deploy", "deployment configuration (every admin write is live at once in Thimble)");
        FEATURES.put("deployment_migration", "deployment migration");
        FEATURES.put("push", "push notifications and push campaigns (not served by Thimble)");
        FEATURES.put("pull", "pulling app configuration files (use GET …/export)");
        FEATURES.put("event_subscriptions", "event subscriptions");
        FEATURES.put("measurements", "usage measurements");
        FEATURES.put("metrics", "app metrics");
        FEATURES.put("log_forwarders", "log forwarders");
        FEATURES.put("multi_data_sources", "multiple data sources at once");
        FEATURES.put("schemas", "collection schemas as a separate resource (edit the rule's schema)");
        FEATURES.put("endpoints", "HTTPS endpoints through the admin API yet");
        FEATURES.put("data_api", "the Data API configuration through the admin API yet");
        FEATURES.put("environment_values", "environment values through the admin API yet");
        FEATURES.put("environment", "the app environment through the admin API yet");
        FEATURES.put("security", "this security setting");
        FEATURES.put("dependencies", "dependency uploads through the admin API yet");
    }

    private UnservedFeatures() {
    }

    /** The feature of {@code rest}, the path after {@code /apps/{appId}} (or after {@code /groups/{groupId}}). */
    static String describe(String rest) {
        String trimmed = rest.startsWith("/") ? rest.substring(1) : rest;
        for (Map.Entry<String, String> feature : FEATURES.entrySet()) {
            if (trimmed.equals(feature.getKey()) || trimmed.startsWith(feature.getKey() + "/")) {
                return feature.getValue();
            }
        }
        String first = trimmed.contains("/") ? trimmed.substring(0, trimmed.indexOf('/')) : trimmed;
        return "\"" + first + "\" (this admin API route is not implemented yet)";
    }
}
