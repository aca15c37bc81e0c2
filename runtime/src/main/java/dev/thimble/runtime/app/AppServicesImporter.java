package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Imports the realm-cli v2 / App Services tree (STITCH-SPEC §1B: {@code realm_config.json} or
 * {@code root_config.json}) into the same parts the Stitch reader gives, so the model does not know
 * which layout it came from. Files the model does not hold keep their path, except that
 * {@code https_endpoints/} becomes {@code http_endpoints/}, where the Stitch layout keeps endpoints.
 */
final class AppServicesImporter {
    private static final List<String> ENDPOINT_FOLDERS = List.of("http_endpoints", "https_endpoints");

    private AppServicesImporter() {
    }

    static BundleParts read(BundleReadContext ctx, Layout layout) {
        BundleParts parts = new BundleParts();
        root(ctx, layout.rootFile(), parts);
        authProviders(ctx, parts);
        customUserData(ctx, parts);
        for (String source : ctx.subdirectories("data_sources")) {
            ServiceFolderReader.readDataSource(ctx, "data_sources/" + source, parts);
        }
        for (String service : ctx.subdirectories("services")) {
            ServiceFolderReader.readStitch(ctx, "services/" + service, parts);
        }
        functions(ctx, parts);
        for (String folder : ENDPOINT_FOLDERS) {
            if (ctx.isFile(folder + "/config.json")) {
                SharedFolders.endpoints(ctx, folder + "/config.json", parts.endpoints);
            }
            // legacy HTTP services and their webhooks live next to the endpoints in some exports
            for (String service : ctx.subdirectories(folder)) {
                if (ctx.isFile(folder + "/" + service + "/config.json")) {
                    ServiceFolderReader.readStitch(ctx, folder + "/" + service, parts);
                }
            }
        }
        SharedFolders.common(ctx, parts);
        parts.otherFiles = ctx.otherFiles(path -> path.startsWith("https_endpoints/")
                ? "http_endpoints/" + path.substring("https_endpoints/".length())
                : path);
        return parts;
    }

    private static void root(BundleReadContext ctx, String file, BundleParts parts) {
        parts.metadataFile = file;
        Optional<ObjectNode> root = ctx.readObject(file);
        if (root.isEmpty()) {
            return;
        }
        ObjectNode config = root.get();
        Normalisation.metadata(config);
        EntityKind.APP.check(config, file, "", ctx);
        parts.metadata = config;
    }

    /** {@code auth/providers.json}: an object keyed by provider name; an entry without {@code name} takes its key. */
    private static void authProviders(BundleReadContext ctx, BundleParts parts) {
        String file = "auth/providers.json";
        if (!ctx.isFile(file)) {
            return;
        }
        ctx.readObject(file).ifPresent(providers -> {
            for (Map.Entry<String, JsonNode> entry : providers.properties()) {
                String key = entry.getKey();
                if (!(entry.getValue() instanceof ObjectNode provider)) {
                    ctx.error(file, key, "expected an auth provider object, found " + EntityKind.describe(entry.getValue())
                            + "; the provider is skipped");
                    continue;
                }
                if (!provider.has("name")) {
                    provider.put("name", key);
                }
                Entities.accept(EntityKind.AUTH_PROVIDER, provider, file, key, ctx)
                        .ifPresent(p -> parts.authProviders.add(new BundleParts.Part(p, file, key)));
            }
        });
    }

    /** {@code auth/custom_user_data.json} → the root config's {@code custom_user_data_config}. */
    private static void customUserData(BundleReadContext ctx, BundleParts parts) {
        String file = "auth/custom_user_data.json";
        if (ctx.isFile(file)) {
            ctx.readObject(file).ifPresent(config -> parts.metadata.set("custom_user_data_config", config));
        }
    }

    /** {@code functions/config.json} (an array) with each source in {@code functions/<name>.js}. */
    private static void functions(BundleReadContext ctx, BundleParts parts) {
        String file = "functions/config.json";
        if (ctx.isFile(file)) {
            ctx.readArray(file).ifPresent(array -> {
                for (int i = 0; i < array.size(); i++) {
                    function(ctx, file, "[" + i + "]", array.get(i), parts);
                }
            });
        }
        for (String js : ctx.filesUnder("functions")) {
            if (js.endsWith(".js") && !js.startsWith("functions/node_modules/") && !ctx.isConsumed(js)) {
                ctx.warning(js, "", "no entry in functions/config.json names this source; kept as a plain file, add an entry to make it a function");
            }
        }
    }

    private static void function(BundleReadContext ctx, String file, String prefix, JsonNode entry, BundleParts parts) {
        if (!(entry instanceof ObjectNode config)) {
            ctx.error(file, prefix, "expected a function object, found " + EntityKind.describe(entry) + "; the entry is skipped");
            return;
        }
        Optional<ObjectNode> accepted = Entities.accept(EntityKind.FUNCTION, config, file, prefix, ctx);
        if (accepted.isEmpty()) {
            return;
        }
        String name = accepted.get().path("name").asText();
        String sourceFile = "functions/" + name + ".js";
        if (!ctx.isFile(sourceFile)) {
            ctx.error(file, prefix + ".name", "the function '" + name + "' has no source file " + sourceFile
                    + "; add it, the function is skipped");
            return;
        }
        ctx.readText(sourceFile).ifPresent(source ->
                parts.functions.add(new BundleParts.Sourced(accepted.get(), file, prefix, source, sourceFile)));
    }
}
