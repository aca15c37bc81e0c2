package dev.thimble.runtime.security;

import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration space of the generated security suite, described once: role shapes × probes
 * (every MongoDB action with every query operator, every update operator, replacements, inserts,
 * deletes and aggregation stages on the hidden field {@code secret}) × variants of the hidden data.
 *
 * <p>Each shape's collection exists in three variants that look the same to the caller and differ only
 * in what the shape hides from them: the hidden field holding a number, missing, or holding a sub-document
 * and an array (field-hidden shapes); other users' documents present, absent or different (owner-filtered);
 * the whole content (no read). Read-only hides nothing: its variants are identical, and its probes check
 * that nothing changes.
 */
final class SecuritySpace {
    private SecuritySpace() {
    }

    static final String DATABASE = "sec";
    static final String OTHER_USER = "someone-else";

    /** The role shapes; each is one collection per variant, with its own rule file or the default rule. */
    enum Shape {
        NO_READ("""
                [{"name": "outsider", "apply_when": {}, "read": false, "write": false, "insert": false, "delete": false}]"""),
        READ_ONLY("""
                [{"name": "reader", "apply_when": {}, "read": true, "insert": false, "delete": false}]"""),
        FIELD_HIDDEN("""
                [{"name": "colleague", "apply_when": {}, "insert": true, "delete": true,
                  "fields": {"secret": {"read": false, "write": false}}, "additional_fields": {"read": true, "write": true}}]"""),
        OWNER_FILTERED("""
                [{"name": "owner", "apply_when": {"owner_id": "%%user.id"}, "read": true, "write": true, "insert": true, "delete": true}]"""),
        /** No rule file: the data source's default_rule.json (the field-hidden role) applies. */
        DEFAULT_RULE(null);

        final String rolesJson;

        Shape(String rolesJson) {
            this.rolesJson = rolesJson;
        }

        String collection(Variant variant) {
            return name().toLowerCase() + "_" + variant.name().toLowerCase();
        }

        boolean hidesAField() {
            return this == FIELD_HIDDEN || this == DEFAULT_RULE;
        }
    }

    static final String DEFAULT_RULE_JSON = "{\"roles\": " + Shape.FIELD_HIDDEN.rolesJson + ", \"filters\": []}";
    static final String OWNER_FILTER = "[{\"name\": \"mine\", \"apply_when\": {}, \"query\": {\"owner_id\": \"%%user.id\"}}]";

    enum Variant { V1, V2, V3 }

    /** Values only hidden data holds: none may ever appear in an answer. Probes never use them. */
    static final List<String> MARKERS = List.of("777001", "HIDDEN-MARK-1", "HIDDEN-MARK-3", "OTHER-MARK-1", "OTHER-MARK-3",
            "NOREAD-MARK-1", "NOREAD-MARK-3", "someone-else");

    /** The documents of a shape's variant, for the caller {@code me}. */
    static List<Document> seed(Shape shape, Variant variant, String me) {
        List<Document> docs = new ArrayList<>();
        switch (shape) {
            case NO_READ -> {
                if (variant == Variant.V1) {
                    docs.add(new Document("_id", "d1").append("owner_id", me).append("title", "NOREAD-MARK-1").append("n", 1).append("secret", 777001));
                    docs.add(new Document("_id", "d2").append("owner_id", me).append("title", "t2").append("n", 2));
                } else if (variant == Variant.V3) {
                    docs.add(new Document("_id", "x9").append("title", "NOREAD-MARK-3").append("secret", List.of(1, 2)));
                }
            }
            case READ_ONLY -> {
                docs.add(new Document("_id", "d1").append("owner_id", me).append("title", "t1").append("n", 1).append("secret", 5));
                docs.add(new Document("_id", "d2").append("owner_id", me).append("title", "t2").append("n", 2));
            }
            case FIELD_HIDDEN, DEFAULT_RULE -> {
                Document d1 = new Document("_id", "d1").append("owner_id", me).append("title", "t1").append("n", 1);
                Document d2 = new Document("_id", "d2").append("owner_id", me).append("title", "t2").append("n", 2);
                if (variant == Variant.V1) {
                    d1.append("secret", 777001);
                    d2.append("secret", "HIDDEN-MARK-1");
                } else if (variant == Variant.V3) {
                    d1.append("secret", new Document("x", "HIDDEN-MARK-3"));
                    d2.append("secret", List.of(1, 2));
                }
                docs.add(d1);
                docs.add(d2);
            }
            case OWNER_FILTERED -> {
                docs.add(new Document("_id", "d1").append("owner_id", me).append("title", "t1").append("n", 1));
                docs.add(new Document("_id", "d2").append("owner_id", me).append("title", "t2").append("n", 2));
                if (variant == Variant.V1) {
                    docs.add(new Document("_id", "o1").append("owner_id", OTHER_USER).append("title", "OTHER-MARK-1").append("n", 5)
                            .append("secret", 777001));
                } else if (variant == Variant.V3) {
                    docs.add(new Document("_id", "o2").append("owner_id", OTHER_USER).append("title", "OTHER-MARK-3").append("n", 1)
                            .append("secret", "HIDDEN-MARK-3"));
                    docs.add(new Document("_id", "o3").append("owner_id", OTHER_USER).append("title", "t1").append("n", 2));
                }
            }
        }
        return docs;
    }

    /** What a probe does to the database, for the oracle. */
    enum Kind { READ, WRITE }

    /**
     * One request, with {@code %NS%} standing for {@code "database": ..., "collection": ...} and {@code %ME%}
     * for the caller's id. {@code namesHidden}: it names the hidden field in something it would write.
     */
    record Probe(String name, String action, String argument, Kind kind, boolean namesHidden) {
        String argumentFor(String collection, String me) {
            return argument.replace("%NS%", "\"database\": \"" + DATABASE + "\", \"collection\": \"" + collection + "\"")
                    .replace("%ME%", me);
        }
    }

    /** Predicates that name the hidden field, each with every operator a query has. */
    static final List<String> PREDICATES = List.of(
            "{\"secret\": {\"$exists\": true}}", "{\"secret\": {\"$exists\": false}}", "{\"secret\": null}",
            "{\"secret\": {\"$ne\": null}}", "{\"secret\": 5}", "{\"secret\": {\"$eq\": \"guess\"}}", "{\"secret\": {\"$gt\": 0}}",
            "{\"secret\": {\"$gte\": 0}}", "{\"secret\": {\"$lt\": 1000000}}", "{\"secret\": {\"$lte\": 0}}",
            "{\"secret\": {\"$type\": \"string\"}}", "{\"secret\": {\"$type\": \"object\"}}", "{\"secret\": {\"$regex\": \"^H\"}}",
            "{\"secret\": {\"$in\": [null, 5]}}", "{\"secret\": {\"$nin\": [5]}}", "{\"secret\": {\"$not\": {\"$gt\": 0}}}",
            "{\"$nor\": [{\"secret\": 5}]}", "{\"$or\": [{\"secret\": {\"$exists\": false}}, {\"n\": -1}]}",
            "{\"$and\": [{\"n\": 1}, {\"secret\": {\"$exists\": true}}]}", "{\"secret.x\": {\"$exists\": true}}",
            "{\"secret\": {\"$elemMatch\": {\"$gt\": 0}}}", "{\"secret\": {\"$size\": 2}}", "{\"secret\": {\"$all\": [1]}}",
            "{\"secret\": {\"$mod\": [2, 1]}}", "{\"secret\": {\"$bitsAnySet\": 1}}", "{\"$expr\": {\"$gt\": [\"$secret\", 0]}}",
            "{\"secret.0\": 1}", "{\"n\": {\"$gte\": 0}, \"secret\": {\"$exists\": false}}");

    /** Update documents that name the hidden field, with every update operator. */
    static final List<String> UPDATES = List.of(
            "{\"$set\": {\"secret\": 5}}", "{\"$set\": {\"secret\": \"guess\"}}", "{\"$set\": {\"secret\": {\"$numberLong\": \"5\"}}}",
            "{\"$set\": {\"secret.x\": 1}}", "{\"$unset\": {\"secret\": \"\"}}", "{\"$inc\": {\"secret\": 0}}", "{\"$inc\": {\"secret\": 1}}",
            "{\"$mul\": {\"secret\": 1}}", "{\"$max\": {\"secret\": 1}}", "{\"$max\": {\"secret\": 999999999}}", "{\"$min\": {\"secret\": -1}}",
            "{\"$min\": {\"secret\": 999999999}}", "{\"$rename\": {\"secret\": \"s2\"}}", "{\"$rename\": {\"title\": \"secret\"}}",
            "{\"$setOnInsert\": {\"secret\": 1}}", "{\"$currentDate\": {\"secret\": true}}", "{\"$push\": {\"secret\": 1}}",
            "{\"$addToSet\": {\"secret\": 1}}", "{\"$pull\": {\"secret\": 1}}", "{\"$pullAll\": {\"secret\": [1]}}",
            "{\"$pop\": {\"secret\": 1}}", "{\"$bit\": {\"secret\": {\"and\": 1}}}", "{\"$set\": {\"secret.$[]\": 1}}",
            "{\"$set\": {\"secret.0\": 1}}", "{\"$set\": {\"title\": \"t1\", \"secret\": 5}}");

    static List<Probe> probes() {
        List<Probe> probes = new ArrayList<>();
        String touch = "{\"$set\": {\"title\": \"touched\"}}";
        for (String p : PREDICATES) {
            probes.add(new Probe("find " + p, "find", "{%NS%, \"query\": " + p + "}", Kind.READ, false));
            probes.add(new Probe("findOne " + p, "findOne", "{%NS%, \"query\": " + p + "}", Kind.READ, false));
            probes.add(new Probe("count " + p, "count", "{%NS%, \"query\": " + p + "}", Kind.READ, false));
            probes.add(new Probe("distinct " + p, "distinct", "{%NS%, \"key\": \"title\", \"query\": " + p + "}", Kind.READ, false));
            probes.add(new Probe("aggregate $match " + p, "aggregate", "{%NS%, \"pipeline\": [{\"$match\": " + p + "}]}", Kind.READ, false));
            probes.add(new Probe("updateOne where " + p, "updateOne", "{%NS%, \"query\": " + p + ", \"update\": " + touch + "}", Kind.WRITE, false));
            probes.add(new Probe("updateMany where " + p, "updateMany", "{%NS%, \"query\": " + p + ", \"update\": " + touch + "}", Kind.WRITE, false));
            probes.add(new Probe("deleteOne where " + p, "deleteOne", "{%NS%, \"query\": " + p + "}", Kind.WRITE, false));
            probes.add(new Probe("deleteMany where " + p, "deleteMany", "{%NS%, \"query\": " + p + "}", Kind.WRITE, false));
            probes.add(new Probe("findOneAndUpdate where " + p, "findOneAndUpdate", "{%NS%, \"filter\": " + p + ", \"update\": " + touch + "}", Kind.WRITE, false));
            probes.add(new Probe("findOneAndReplace where " + p, "findOneAndReplace",
                    "{%NS%, \"filter\": " + p + ", \"update\": {\"owner_id\": \"%ME%\", \"title\": \"r\", \"n\": 1}}", Kind.WRITE, false));
            probes.add(new Probe("findOneAndDelete where " + p, "findOneAndDelete", "{%NS%, \"filter\": " + p + "}", Kind.WRITE, false));
        }
        for (String u : UPDATES) {
            probes.add(new Probe("updateOne d1 " + u, "updateOne", "{%NS%, \"query\": {\"_id\": \"d1\"}, \"update\": " + u + "}", Kind.WRITE, true));
            probes.add(new Probe("updateMany all " + u, "updateMany", "{%NS%, \"query\": {}, \"update\": " + u + "}", Kind.WRITE, true));
            probes.add(new Probe("findOneAndUpdate d1 " + u, "findOneAndUpdate", "{%NS%, \"filter\": {\"_id\": \"d1\"}, \"update\": " + u
                    + ", \"returnNewDocument\": true}", Kind.WRITE, true));
            probes.add(new Probe("upsert new " + u, "updateOne", "{%NS%, \"query\": {\"_id\": \"fresh\", \"owner_id\": \"%ME%\"}, \"update\": " + u
                    + ", \"upsert\": true}", Kind.WRITE, true));
        }
        probes.add(new Probe("replace d1 without secret", "findOneAndReplace",
                "{%NS%, \"filter\": {\"_id\": \"d1\"}, \"update\": {\"owner_id\": \"%ME%\", \"title\": \"r\", \"n\": 1}}", Kind.WRITE, true));
        probes.add(new Probe("replace d1 with secret", "findOneAndReplace",
                "{%NS%, \"filter\": {\"_id\": \"d1\"}, \"update\": {\"owner_id\": \"%ME%\", \"title\": \"r\", \"n\": 1, \"secret\": 5}}", Kind.WRITE, true));
        probes.add(new Probe("replace upsert with secret", "findOneAndReplace",
                "{%NS%, \"filter\": {\"_id\": \"fresh\"}, \"update\": {\"owner_id\": \"%ME%\", \"secret\": 5}, \"upsert\": true}", Kind.WRITE, true));
        probes.add(new Probe("insertOne with secret", "insertOne",
                "{%NS%, \"document\": {\"_id\": \"new1\", \"owner_id\": \"%ME%\", \"title\": \"n\", \"secret\": 5}}", Kind.WRITE, true));
        probes.add(new Probe("insertMany with secret", "insertMany",
                "{%NS%, \"documents\": [{\"_id\": \"new2\", \"owner_id\": \"%ME%\", \"secret\": 5}]}", Kind.WRITE, true));
        probes.add(new Probe("insertOne without secret", "insertOne",
                "{%NS%, \"document\": {\"_id\": \"new3\", \"owner_id\": \"%ME%\", \"title\": \"n\"}}", Kind.WRITE, false));
        probes.add(new Probe("deleteOne d1", "deleteOne", "{%NS%, \"query\": {\"_id\": \"d1\"}}", Kind.WRITE, false));
        probes.add(new Probe("deleteMany all", "deleteMany", "{%NS%, \"query\": {}}", Kind.WRITE, false));
        probes.add(new Probe("findOneAndDelete d1", "findOneAndDelete", "{%NS%, \"filter\": {\"_id\": \"d1\"}}", Kind.WRITE, false));
        for (String sortAction : List.of("find", "findOne")) {
            probes.add(new Probe(sortAction + " sorted by secret", sortAction, "{%NS%, \"query\": {}, \"sort\": {\"secret\": 1}}", Kind.READ, false));
        }
        probes.add(new Probe("findOneAndUpdate sorted by secret", "findOneAndUpdate",
                "{%NS%, \"filter\": {}, \"sort\": {\"secret\": -1}, \"update\": " + touch + "}", Kind.WRITE, false));
        probes.add(new Probe("findOneAndDelete sorted by secret", "findOneAndDelete", "{%NS%, \"filter\": {}, \"sort\": {\"secret\": -1}}",
                Kind.WRITE, false));
        probes.add(new Probe("find projecting secret", "find", "{%NS%, \"query\": {}, \"project\": {\"secret\": 1}}", Kind.READ, false));
        probes.add(new Probe("distinct secret", "distinct", "{%NS%, \"key\": \"secret\", \"query\": {}}", Kind.READ, false));
        probes.add(new Probe("count all", "count", "{%NS%, \"query\": {}}", Kind.READ, false));
        for (String pipeline : List.of("[{\"$group\": {\"_id\": \"$secret\", \"c\": {\"$sum\": 1}}}]", "[{\"$project\": {\"secret\": 1}}]",
                "[{\"$sort\": {\"secret\": 1}}]", "[{\"$count\": \"c\"}]", "[{\"$addFields\": {\"s\": {\"$type\": \"$secret\"}}}]",
                "[{\"$facet\": {\"a\": [{\"$match\": {\"secret\": {\"$exists\": true}}}]}}]")) {
            probes.add(new Probe("aggregate " + pipeline, "aggregate", "{%NS%, \"pipeline\": " + pipeline + "}", Kind.READ, false));
        }
        probes.add(new Probe("updateOne arrayFilters on secret", "updateOne", "{%NS%, \"query\": {\"_id\": \"d1\"}, \"update\": "
                + "{\"$set\": {\"secret.$[t]\": 1}}, \"arrayFilters\": [{\"t\": {\"$gt\": 0}}]}", Kind.WRITE,
                // arrayFilters test the hidden field as a query does: the document does not match (nothing to refuse)
                false));
        return probes;
    }
}
