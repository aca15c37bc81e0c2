package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The parts of an exported app that Thimble keeps byte for byte (so an export gives them back) but
 * does not serve: one warning per part, naming its files and what will not work, so that a user
 * migrating such an app learns it from {@code import}, {@code validate}, {@code serve} and the
 * workbench's problems list instead of from a client that gets a 404. Also checks what can be
 * checked in them without serving them (GraphQL custom resolvers name functions).
 */
public final class UnservedParts {
    private record Part(String name, Predicate<String> files, String consequence) { }

    private static final List<Part> PARTS = List.of(
            new Part("GraphQL", p -> p.startsWith("graphql/"),
                    "Thimble does not serve the GraphQL API: requests to /api/client/v2.0/app/<id>/graphql answer 404;"
                            + " call functions or the MongoDB actions instead"),
            new Part("Device Sync", p -> p.startsWith("sync/"),
                    "Thimble does not serve Atlas Device Sync: Realm SDK apps that open a synced realm cannot connect"),
            new Part("Static hosting", p -> p.startsWith("hosting/"),
                    "Thimble does not host static files; serve them with any web server"),
            new Part("Log forwarders", p -> p.startsWith("log_forwarders/"),
                    "Thimble does not forward logs; read them in the workbench or from the logs collection"),
            new Part("Atlas Search indexes", p -> p.contains("search_index") || p.contains("atlas_search"),
                    "Thimble's database does not run Atlas Search ($search stages fail); a real Atlas cluster behind --mongo-uri does"));

    /** What Thimble's sync serves of an enabled flexible-sync configuration (decisions 0022, 0033, 0038). */
    private static final String FLEXIBLE_SYNC_IN_PART = "flexible sync is served in part: objects with scalar fields"
            + " (string, int, double, bool, ObjectId, date, UUID), mixed values, lists, sets, dictionaries, links and"
            + " embedded objects under the app's rules; collections inside embedded objects or mixed values, counters,"
            + " typed links in mixed, binary and decimal values are refused with a sync error, and the rest of the"
            + " configuration is kept as it is and exported again.";

    private final Findings f;
    private final AppModel app;

    UnservedParts(Findings findings) {
        this.f = findings;
        this.app = findings.app();
    }

    /** The names of the parts {@code app} has that are kept but not served (e.g. "GraphQL", "Device Sync"), in a fixed order. */
    public static List<String> keptNotServed(AppModel app) {
        List<String> names = new ArrayList<>();
        for (Part part : PARTS) {
            boolean has = app.otherFiles().keySet().stream().anyMatch(part.files())
                    || part == PARTS.get(1) && app.metadata().obj("sync").bool("enabled", false);
            if (has) {
                names.add(part == PARTS.get(1) && servesFlexibleSync(app) ? part.name() + " (served in part)" : part.name());
            }
        }
        return names;
    }

    /** True when the app has an enabled flexible-sync configuration, the kind Thimble's sync endpoint serves. */
    private static boolean servesFlexibleSync(AppModel app) {
        String config = app.otherFiles().get("sync/config.json");
        if (config == null) {
            return false;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(config);
            return node != null && "flexible".equals(node.path("type").asText())
                    && !"disabled".equals(node.path("state").asText("enabled"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    void check() {
        Map<Part, List<String>> found = new LinkedHashMap<>();
        for (String path : app.otherFiles().keySet()) {
            for (Part part : PARTS) {
                if (part.files().test(path)) {
                    found.computeIfAbsent(part, k -> new ArrayList<>()).add(path);
                    break;
                }
            }
        }
        found.forEach((part, files) -> f.warning(files.getFirst(), "", part.name() + " (" + describe(files) + "): "
                + (part == PARTS.get(1) && servesFlexibleSync(app) ? FLEXIBLE_SYNC_IN_PART
                        : "kept as it is and exported again, but not served. " + part.consequence())));
        if (app.metadata().obj("sync").bool("enabled", false) && !found.containsKey(PARTS.get(1))) {
            f.warning(f.file("app", "stitch.json"), "sync", "Device Sync is enabled here but not served. "
                    + PARTS.get(1).consequence());
        }
        graphQlResolvers();
    }

    /** {@code graphql/custom_resolvers/*.json}: each names a function the app must have (it is what the resolver runs). */
    private void graphQlResolvers() {
        for (Map.Entry<String, String> file : app.otherFiles().entrySet()) {
            String path = file.getKey();
            if (!path.startsWith("graphql/custom_resolvers/") || !path.endsWith(".json")) {
                continue;
            }
            JsonNode resolver;
            try {
                resolver = Json.MAPPER.readTree(file.getValue());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                f.warning(path, "", "not valid JSON (" + e.getOriginalMessage() + "); the custom resolver cannot be checked");
                continue;
            }
            JsonNode name = resolver == null ? null : resolver.get("function_name");
            if (name == null || !name.isTextual() || name.asText().isEmpty()) {
                f.warning(path, "function_name", "a custom resolver names the function it runs in \"function_name\"; this one names none");
            } else {
                String function = name.asText();
                if (app.function(function).isEmpty()) {
                    // a warning, not an error: GraphQL is not served, so the app still runs; the export was broken at the source
                    f.warning(path, "function_name", "custom resolver " + resolver.path("on_type").asText("?") + "."
                            + resolver.path("field_name").asText("?") + ": function \"" + function + "\" does not exist; "
                            + Findings.listing("functions", app.functions().stream().map(FunctionDef::name).toList()));
                }
            }
        }
    }

    private static String describe(List<String> files) {
        return files.size() == 1 ? files.getFirst() : files.getFirst() + " and " + (files.size() - 1) + " more file" + (files.size() == 2 ? "" : "s");
    }
}
