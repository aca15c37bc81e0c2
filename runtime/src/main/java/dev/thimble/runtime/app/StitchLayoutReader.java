package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the Stitch 2018 tree (STITCH-SPEC §1A), the native layout: {@code stitch.json}, or
 * {@code config.json} of realm-cli v1, which has the same tree. Files the tree does not model
 * (hosting, graphql, sync, log forwarders, functions/package.json, …) are kept under the same path.
 */
final class StitchLayoutReader {
    private static final Set<Integer> KNOWN_VERSIONS = Set.of(20180301, 20200603);

    private StitchLayoutReader() {
    }

    static BundleParts read(BundleReadContext ctx, Layout layout) {
        BundleParts parts = new BundleParts();
        root(ctx, layout.rootFile(), parts);
        SharedFolders.entityFiles(ctx, "auth_providers", EntityKind.AUTH_PROVIDER, parts.authProviders);
        functions(ctx, "functions", parts);
        for (String service : ctx.subdirectories("services")) {
            ServiceFolderReader.readStitch(ctx, "services/" + service, parts);
        }
        SharedFolders.common(ctx, parts);
        if (ctx.isFile("http_endpoints/config.json")) {
            SharedFolders.endpoints(ctx, "http_endpoints/config.json", parts.endpoints);
        }
        parts.otherFiles = ctx.otherFiles(UnaryOperator.identity());
        return parts;
    }

    private static void root(BundleReadContext ctx, String file, BundleParts parts) {
        parts.metadataFile = file;
        Optional<ObjectNode> root = ctx.readObject(file);
        if (root.isEmpty()) {
            return;
        }
        ObjectNode config = root.get();
        if (config.path("config_version").isNumber() && !KNOWN_VERSIONS.contains(config.path("config_version").asInt())) {
            ctx.warning(file, "config_version", "unexpected config_version " + config.get("config_version")
                    + "; read as the Stitch 2018 layout (20180301)");
        }
        Normalisation.metadata(config);
        EntityKind.APP.check(config, file, "", ctx);
        parts.metadata = config;
    }

    /**
     * Every folder below {@code functions/} that holds a config.json is a function, named by its
     * config's {@code name} (which may contain {@code /}, so function folders nest).
     */
    private static void functions(BundleReadContext ctx, String dir, BundleParts parts) {
        for (String child : ctx.subdirectories(dir)) {
            if (child.equals("node_modules")) {
                continue; // npm dependencies: packages have their own config.json files
            }
            String folder = dir + "/" + child;
            if (ctx.isFile(folder + "/config.json")) {
                function(ctx, folder, parts);
            }
            functions(ctx, folder, parts);
        }
    }

    private static void function(BundleReadContext ctx, String folder, BundleParts parts) {
        String configFile = folder + "/config.json";
        String sourceFile = folder + "/source.js";
        Optional<ObjectNode> config = ctx.readObject(configFile)
                .flatMap(c -> Entities.accept(EntityKind.FUNCTION, c, configFile, "", ctx));
        if (!ctx.isFile(sourceFile)) {
            ctx.error(sourceFile, "", "missing: every function needs its code in source.js next to config.json; the function is skipped");
            return;
        }
        Optional<String> source = ctx.readText(sourceFile);
        if (config.isPresent() && source.isPresent()) {
            parts.functions.add(new BundleParts.Sourced(config.get(), configFile, "", source.get(), sourceFile));
        }
    }
}
