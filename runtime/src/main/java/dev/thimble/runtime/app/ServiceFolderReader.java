package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.Set;

/**
 * Reads one service folder: the Stitch form ({@code services/<svc>/}: config.json, rules/*.json,
 * default_rule.json, incoming_webhooks/<hook>/) or the App Services data-source form
 * ({@code data_sources/<svc>/}: config.json, default_rule.json, <db>/<coll>/rules.json + schema.json
 * + relationships.json). A service whose config.json is missing or unusable is skipped with its
 * whole folder.
 */
final class ServiceFolderReader {
    /** Service types whose rules are collection rules ({@code <db>.<coll>}); every other type has named service rules. */
    private static final Set<String> COLLECTION_RULE_TYPES = Set.of("mongodb-atlas", "mongodb", "mongodb-datafederation");

    private ServiceFolderReader() {
    }

    static void readStitch(BundleReadContext ctx, String dir, BundleParts parts) {
        Optional<BundleParts.Service> read = config(ctx, dir);
        if (read.isEmpty()) {
            return;
        }
        BundleParts.Service service = read.get();
        boolean collections = COLLECTION_RULE_TYPES.contains(service.config.path("type").asText());
        for (String file : ctx.filesIn(dir + "/rules", ".json")) {
            EntityKind kind = collections ? EntityKind.COLLECTION_RULE : EntityKind.SERVICE_RULE;
            ctx.readObject(file)
                    .flatMap(rule -> Entities.accept(kind, rule, file, "", ctx))
                    .ifPresent(rule -> (collections ? service.collectionRules : service.serviceRules)
                            .add(new BundleParts.Part(rule, file, "")));
        }
        defaultRule(ctx, dir, service);
        for (String hook : ctx.subdirectories(dir + "/incoming_webhooks")) {
            webhook(ctx, dir + "/incoming_webhooks/" + hook, service);
        }
        parts.services.add(service);
    }

    static void readDataSource(BundleReadContext ctx, String dir, BundleParts parts) {
        Optional<BundleParts.Service> read = config(ctx, dir);
        if (read.isEmpty()) {
            return;
        }
        BundleParts.Service service = read.get();
        defaultRule(ctx, dir, service);
        for (String database : ctx.subdirectories(dir)) {
            for (String collection : ctx.subdirectories(dir + "/" + database)) {
                collectionFolder(ctx, dir + "/" + database + "/" + collection, database, collection, service);
            }
        }
        parts.services.add(service);
    }

    private static Optional<BundleParts.Service> config(BundleReadContext ctx, String dir) {
        String file = dir + "/config.json";
        if (!ctx.isFile(file)) {
            ctx.error(file, "", "missing: a service folder needs config.json (name, type, config); the service and its folder are skipped");
            ctx.consumeTree(dir);
            return Optional.empty();
        }
        Optional<ObjectNode> config = ctx.readObject(file).flatMap(c -> Entities.accept(EntityKind.SERVICE, c, file, "", ctx));
        if (config.isEmpty()) {
            // its rules and webhooks mean nothing without it, and a webhook config may hold a secret value
            ctx.consumeTree(dir);
            return Optional.empty();
        }
        return Optional.of(new BundleParts.Service(config.get(), file));
    }

    private static void defaultRule(BundleReadContext ctx, String dir, BundleParts.Service service) {
        String file = dir + "/default_rule.json";
        if (ctx.isFile(file)) {
            ctx.readObject(file)
                    .flatMap(rule -> Entities.accept(EntityKind.DEFAULT_RULE, rule, file, "", ctx))
                    .ifPresent(rule -> service.defaultRule = new BundleParts.Part(rule, file, ""));
        }
    }

    private static void webhook(BundleReadContext ctx, String dir, BundleParts.Service service) {
        String configFile = dir + "/config.json";
        String sourceFile = dir + "/source.js";
        if (!ctx.isFile(configFile)) {
            ctx.error(configFile, "", "missing: a webhook folder needs config.json and source.js; the webhook is skipped");
            ctx.consumeTree(dir);
            return;
        }
        Optional<ObjectNode> config = ctx.readObject(configFile)
                .flatMap(c -> Entities.accept(EntityKind.WEBHOOK, c, configFile, "", ctx));
        if (!ctx.isFile(sourceFile)) {
            ctx.error(sourceFile, "", "missing: every webhook needs its code in source.js next to config.json; the webhook is skipped");
            ctx.consumeTree(dir);
            return;
        }
        Optional<String> source = ctx.readText(sourceFile);
        if (config.isPresent() && source.isPresent()) {
            service.webhooks.add(new BundleParts.Sourced(config.get(), configFile, "", source.get(), sourceFile));
        } else {
            ctx.consumeTree(dir);
        }
    }

    /** {@code <db>/<coll>/}: rules.json, schema.json (→ {@code schema}), relationships.json (→ {@code relationships}). */
    private static void collectionFolder(BundleReadContext ctx, String dir, String database, String collection,
                                         BundleParts.Service service) {
        String rulesFile = dir + "/rules.json";
        String schemaFile = dir + "/schema.json";
        String relationshipsFile = dir + "/relationships.json";
        if (!ctx.isFile(rulesFile) && !ctx.isFile(schemaFile) && !ctx.isFile(relationshipsFile)) {
            return;
        }
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        boolean broken = false;
        if (ctx.isFile(rulesFile)) {
            Optional<ObjectNode> read = ctx.readObject(rulesFile);
            broken = read.isEmpty();
            read.ifPresent(rule::setAll);
        }
        if (ctx.isFile(schemaFile)) {
            Optional<ObjectNode> schema = ctx.readObject(schemaFile);
            broken |= schema.isEmpty();
            schema.ifPresent(s -> rule.set("schema", s));
        }
        if (ctx.isFile(relationshipsFile)) {
            Optional<ObjectNode> relationships = ctx.readObject(relationshipsFile);
            broken |= relationships.isEmpty();
            relationships.ifPresent(r -> rule.set("relationships", r));
        }
        if (broken) {
            ctx.warning(dir, "", "the rule of " + database + "." + collection + " is skipped because one of its files is broken");
            return;
        }
        // the path names the namespace; rules.json often leaves database/collection out
        if (!rule.has("database")) {
            rule.put("database", database);
        }
        if (!rule.has("collection")) {
            rule.put("collection", collection);
        }
        String file = ctx.isFile(rulesFile) ? rulesFile : ctx.isFile(schemaFile) ? schemaFile : relationshipsFile;
        Entities.accept(EntityKind.COLLECTION_RULE, rule, file, "", ctx)
                .ifPresent(r -> service.collectionRules.add(new BundleParts.Part(r, file, "")));
    }
}
