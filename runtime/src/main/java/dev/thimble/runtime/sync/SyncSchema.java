package dev.thimble.runtime.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An app's flexible-sync configuration: {@code sync/config.json} (type flexible, the linked MongoDB
 * service and database, the queryable fields) and the Realm classes, one per collection rule whose
 * JSON schema has a {@code title} (the class name) in the synced database.
 *
 * @param classes class name → the collection and its schema's field types ({@code bsonType} by field)
 */
record SyncSchema(String serviceName, String database, Set<String> queryableFields, Map<String, SyncClass> classes) {

    /**
     * One Realm class and the collection that holds its objects; an embedded class (a sub-document's
     * {@code title}) has no collection of its own and is reached from its parent's field.
     *
     * @param embedded field → the embedded class of a single embedded object, or of the elements of a
     *                 list or dictionary of embedded objects
     * @param required the schema's {@code required} fields (non-nullable in Realm)
     */
    record SyncClass(String name, String database, String collection, Map<String, String> fieldTypes,
                     Map<String, CollectionField> collections, Map<String, String> links,
                     Map<String, SyncClass> embedded, Set<String> required) {
        SyncClass(String name, String database, String collection, Map<String, String> fieldTypes) {
            this(name, database, collection, fieldTypes, Map.of(), Map.of());
        }

        SyncClass(String name, String database, String collection, Map<String, String> fieldTypes,
                  Map<String, CollectionField> collections, Map<String, String> links) {
            this(name, database, collection, fieldTypes, collections, links, Map.of(), Set.of());
        }

        /** The embedded class of a field (single embedded object, or elements of a list/dictionary of them), or null. */
        SyncClass embeddedClass(String field) {
            return embedded.get(field);
        }

        /** Whether the field holds one embedded object (not a collection of them). */
        boolean singleEmbedded(String field) {
            return embedded.containsKey(field) && !collections.containsKey(field);
        }

        /** Whether the field is a Realm {@code mixed} (any scalar, or null). */
        boolean mixed(String field) {
            return "mixed".equals(fieldTypes.get(field));
        }

        /** The class a link field (or list of links) points to, or null if the field is not a link. */
        String linkTarget(String field) {
            return links.get(field);
        }

        /** The collection a field holds, or null for a scalar field. */
        CollectionField collectionOf(String field) {
            return collections.get(field);
        }
    }

    /** A collection field: its kind and its elements' {@code bsonType} (dictionary values, list and set items). */
    record CollectionField(Collection kind, String itemType) {
        static CollectionField of(JsonNode property) {
            Collection kind = Collection.of(property);
            if (kind == null) {
                return null;
            }
            JsonNode items = kind == Collection.DICTIONARY ? property.path("additionalProperties") : property.path("items");
            return new CollectionField(kind, items.path("bsonType").asText(""));
        }
    }

    /**
     * A collection property as App Services' JSON schema declares it: a list is {@code bsonType: array}
     * with {@code items}, a set the same with {@code uniqueItems: true}, a dictionary {@code bsonType:
     * object} with {@code additionalProperties} and no {@code properties}. Elements are scalars.
     *
     * @param realmType realm-core's collection type number (a Clear carries it): list 1, dictionary 2, set 3
     */
    enum Collection {
        LIST(1), DICTIONARY(2), SET(3);

        final int realmType;

        Collection(int realmType) {
            this.realmType = realmType;
        }

        static Collection of(JsonNode property) {
            String type = property.path("bsonType").asText("");
            if (type.equals("array") && property.has("items")) {
                return property.path("uniqueItems").asBoolean(false) ? SET : LIST;
            }
            if (type.equals("object") && property.has("additionalProperties") && !property.has("properties")) {
                return DICTIONARY;
            }
            return null;
        }
    }

    /** The app's sync configuration, or empty when the app has no enabled flexible sync. */
    static Optional<SyncSchema> of(AppModel app) {
        String configText = app.otherFiles().get("sync/config.json");
        if (configText == null) {
            return Optional.empty();
        }
        Json config = Json.parse(configText);
        if (!config.text("type", "").equals("flexible") || config.text("state", "enabled").equals("disabled")) {
            return Optional.empty();
        }
        String serviceName = config.text("service_name", "mongodb-atlas");
        String database = config.text("database_name", "");
        Set<String> queryable = new LinkedHashSet<>();
        queryable.add("_id");
        JsonNode names = config.get("queryable_fields_names");
        if (names != null) {
            names.forEach(n -> queryable.add(n.asText()));
        }
        Map<String, SyncClass> classes = new LinkedHashMap<>();
        Map<String, JsonNode> relationships = new LinkedHashMap<>();
        for (ServiceDef service : app.services()) {
            if (!service.name().equals(serviceName)) {
                continue;
            }
            for (CollectionRuleDef rule : service.collectionRules()) {
                JsonNode schema = rule.config().get("schema");
                if (schema == null || !schema.hasNonNull("title") || !rule.database().equals(database)) {
                    continue;
                }
                String title = schema.get("title").asText();
                classes.put(title, fromJsonSchema(title, rule.database(), rule.collection(), schema));
                JsonNode rels = rule.config().get("relationships");
                if (rels != null && rels.isObject()) {
                    relationships.put(title, rels);
                }
            }
        }
        // Links: a rule's "relationships" name, per source field, the collection the field's _id values point into.
        relationships.forEach((title, rels) -> {
            Map<String, String> links = new LinkedHashMap<>();
            rels.fieldNames().forEachRemaining(field -> {
                JsonNode rel = rels.get(field);
                String[] ref = rel.path("ref").asText("").split("/");
                if (ref.length >= 3 && rel.path("foreign_key").asText("_id").equals("_id")) {
                    String db = ref[ref.length - 2];
                    String coll = ref[ref.length - 1];
                    classes.values().stream().filter(c -> c.database().equals(db) && c.collection().equals(coll)).findFirst()
                            .ifPresent(target -> links.put(rel.path("source_key").asText(field), target.name()));
                }
            });
            SyncClass c = classes.get(title);
            classes.put(title, new SyncClass(c.name(), c.database(), c.collection(), c.fieldTypes(), c.collections(), Map.copyOf(links),
                    c.embedded(), c.required()));
        });
        return Optional.of(new SyncSchema(serviceName, database, Set.copyOf(queryable), Map.copyOf(classes)));
    }

    /**
     * A class from a JSON schema object: its properties' types, collections, and embedded objects (a
     * property that is an object with {@code properties}, or a list or dictionary of them), which App
     * Services stored as sub-documents. Embedded classes are named by their {@code title}, else by field.
     */
    /**
     * A property's {@code bsonType}: a name, or a list of one name and {@code "null"} (an optional field that may
     * also hold null; Realm's property is nullable either way when the field is not required).
     */
    private static String scalarType(JsonNode bsonType) {
        if (bsonType.isArray()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            bsonType.forEach(n -> names.add(n.asText("")));
            names.remove("null");
            return names.size() == 1 ? names.getFirst() : "";
        }
        return bsonType.asText("");
    }

    private static SyncClass fromJsonSchema(String name, String database, String collection, JsonNode schema) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, CollectionField> collections = new LinkedHashMap<>();
        Map<String, SyncClass> embedded = new LinkedHashMap<>();
        JsonNode properties = schema.path("properties");
        properties.fieldNames().forEachRemaining(f -> {
            JsonNode property = properties.path(f);
            types.put(f, scalarType(property.path("bsonType")));
            CollectionField kind = CollectionField.of(property);
            if (kind != null) {
                collections.put(f, kind);
                JsonNode element = kind.kind() == Collection.DICTIONARY ? property.path("additionalProperties") : property.path("items");
                if (embeddedObject(element)) {
                    embedded.put(f, fromJsonSchema(element.path("title").asText(f), "", "", element));
                }
            } else if (embeddedObject(property)) {
                embedded.put(f, fromJsonSchema(property.path("title").asText(f), "", "", property));
            }
        });
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        return new SyncClass(name, database, collection, types, Map.copyOf(collections), Map.of(), Map.copyOf(embedded), Set.copyOf(required));
    }

    /** A sub-document with declared properties: an embedded object. */
    private static boolean embeddedObject(JsonNode property) {
        return property.path("bsonType").asText("").equals("object") && property.has("properties");
    }

    /** The embedded class with this name, reachable from any synced class's fields (at any depth), or null. */
    SyncClass embeddedClass(String name) {
        java.util.ArrayDeque<SyncClass> todo = new java.util.ArrayDeque<>(classes.values());
        while (!todo.isEmpty()) {
            SyncClass c = todo.poll();
            for (SyncClass e : c.embedded().values()) {
                if (e.name().equals(name)) {
                    return e;
                }
                todo.add(e);
            }
        }
        return null;
    }

    /**
     * Every embedded class with this name reachable from the synced classes (one name may be declared by
     * several properties, e.g. a single object and the elements of a list, each with its own properties).
     */
    java.util.List<SyncClass> embeddedClasses(String name) {
        java.util.List<SyncClass> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<SyncClass> todo = new java.util.ArrayDeque<>(classes.values());
        while (!todo.isEmpty()) {
            SyncClass c = todo.poll();
            for (SyncClass e : c.embedded().values()) {
                if (e.name().equals(name)) {
                    out.add(e);
                }
                todo.add(e);
            }
        }
        return out;
    }

    /** The class whose objects live in {@code database.collection}, if that collection is synced. */
    Optional<SyncClass> classOf(String db, String collection) {
        return classes.values().stream().filter(c -> c.database().equals(db) && c.collection().equals(collection)).findFirst();
    }
}
