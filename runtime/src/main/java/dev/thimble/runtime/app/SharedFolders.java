package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Reads the folders both layouts share: one JSON file per entity, environments, endpoint arrays, secrets.json. */
final class SharedFolders {
    private SharedFolders() {
    }

    /** Every {@code <dir>/*.json} as one entity of {@code kind}. */
    static void entityFiles(BundleReadContext ctx, String dir, EntityKind kind, List<BundleParts.Part> into) {
        for (String file : ctx.filesIn(dir, ".json")) {
            ctx.readObject(file)
                    .flatMap(config -> Entities.accept(kind, config, file, "", ctx))
                    .ifPresent(config -> into.add(new BundleParts.Part(config, file, "")));
        }
    }

    /** The triggers, values and environments folders and secrets.json, the same in every layout. */
    static void common(BundleReadContext ctx, BundleParts parts) {
        entityFiles(ctx, "triggers", EntityKind.TRIGGER, parts.triggers);
        entityFiles(ctx, "values", EntityKind.VALUE, parts.values);
        for (String file : ctx.filesIn("environments", ".json")) {
            String tag = file.substring("environments/".length(), file.length() - ".json".length());
            ctx.readObject(file)
                    .flatMap(config -> Entities.accept(EntityKind.ENVIRONMENT, config, file, "", ctx))
                    .ifPresent(config -> parts.environments.add(new BundleParts.Environment(tag, config, file)));
        }
        if (ctx.isFile("secrets.json")) {
            // consumed even when broken: it may hold secret values, which must never reach otherFiles
            ctx.readObject("secrets.json").ifPresent(config -> parts.secrets = new BundleParts.Part(config, "secrets.json", ""));
        }
    }

    /** An endpoints file: a JSON array of endpoint configs. */
    static void endpoints(BundleReadContext ctx, String file, List<BundleParts.Part> into) {
        ctx.readArray(file).ifPresent(array -> {
            for (int i = 0; i < array.size(); i++) {
                String prefix = "[" + i + "]";
                JsonNode entry = array.get(i);
                if (entry instanceof ObjectNode config) {
                    Entities.accept(EntityKind.ENDPOINT, config, file, prefix, ctx)
                            .ifPresent(c -> into.add(new BundleParts.Part(c, file, prefix)));
                } else {
                    ctx.error(file, prefix, "expected an endpoint object, found " + EntityKind.describe(entry) + "; the entry is skipped");
                }
            }
        });
    }
}
