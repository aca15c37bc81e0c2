package dev.thimble.runtime.sync;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instructions that bring a client a document's fields as MongoDB holds them (a whole state), and those that tell it
 * a field is no longer in the document. Stamps, grouping and what a client already holds are the caller's.
 */
final class FieldInstructions {
    private static final Logger LOG = LoggerFactory.getLogger(FieldInstructions.class);

    private FieldInstructions() {
    }

    /**
     * The instructions that set each field the class syncs, by field: one Update per scalar field, and
     * for a list, set or dictionary a Clear followed by its elements ({@link CollectionEdits#rebuild}).
     * Sub-documents and values of other types are not synced in this slice.
     */
    static Map<String, List<Instruction>> of(SyncSchema schema, SyncSchema.SyncClass c, String table, BsonValue pk,
                                             BsonDocument doc, Map<String, Set<String>> declared) {
        Map<String, List<Instruction>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, BsonValue> field : doc.entrySet()) {
            String name = field.getKey();
            if (name.equals("_id") || !c.fieldTypes().containsKey(name)) {
                continue;
            }
            SyncSchema.CollectionField collection = c.collectionOf(name);
            String linkTarget = c.linkTarget(name);
            if (c.singleEmbedded(name)) {
                List<Instruction> rebuild = EmbeddedObjects.rebuildSingle(table, pk, name, c.embeddedClass(name), field.getValue(), declared);
                if (rebuild != null) {
                    out.put(name, rebuild);
                } else {
                    LOG.debug("Sync: embedded {}.{} of {} not sent: it does not fit the schema", table, name, pk);
                }
                continue;
            }
            if (collection != null) {
                BsonValue stored = "mixed".equals(collection.itemType()) ? MixedLinks.linksIn(schema, field.getValue()) : field.getValue();
                List<Instruction> rebuild = CollectionEdits.rebuild(table, pk, name, collection, linkTarget, c.embeddedClass(name), stored);
                if (rebuild != null) {
                    out.put(name, rebuild);
                } else {
                    LOG.debug("Sync: {}.{} of {} not sent: an element does not fit the schema's {}", table, name, pk, collection);
                }
                continue;
            }
            BsonValue value = Changesets.realmValue(field.getValue());
            if (linkTarget != null) {
                if (value.isNull() || CollectionEdits.fits(c.fieldTypes().get(name), value)) {
                    out.put(name, List.of(new Instruction.Update(table, pk, name, value.isNull() ? value : Changesets.link(linkTarget, value), false)));
                }
                continue;
            }
            if (c.mixed(name) && MixedLinks.isStoredLink(value)) {
                BsonValue link = MixedLinks.link(schema, value);
                if (link != null) {
                    out.put(name, List.of(new Instruction.Update(table, pk, name, link, false)));
                } else {
                    LOG.debug("Sync: mixed {}.{} of {} not sent: its reference names no synced collection", table, name, pk);
                }
                continue;
            }
            switch (value.getBsonType()) {
                case NULL, INT64, BOOLEAN, STRING, DOUBLE, DATE_TIME, OBJECT_ID, DECIMAL128, BINARY ->
                        out.put(name, List.of(new Instruction.Update(table, pk, name, Changesets.forSchemaType(c.fieldTypes().get(name), value), false)));
                default -> {
                    // Sub-documents that are not embedded objects, arrays outside collections: not synced (decision records).
                }
            }
        }
        return out;
    }

    /**
     * What tells a client that a changed field is no longer in the document (removed by {@code $unset},
     * or a deleted embedded object): null for a single embedded object or an optional scalar, an
     * empty collection; null when the field is required (Realm holds a value the server cannot name).
     */
    static List<Instruction> absent(SyncSchema.SyncClass c, String table, BsonValue pk, String field) {
        if (c.singleEmbedded(field)) {
            return List.of(new Instruction.Update(table, pk, field, org.bson.BsonNull.VALUE, false));
        }
        SyncSchema.CollectionField collection = c.collectionOf(field);
        if (collection != null) {
            return CollectionEdits.rebuild(table, pk, field, collection, c.linkTarget(field), c.embeddedClass(field), org.bson.BsonNull.VALUE);
        }
        if (c.fieldTypes().containsKey(field) && !c.required().contains(field)) {
            return List.of(new Instruction.Update(table, pk, field, org.bson.BsonNull.VALUE, false));
        }
        return null;
    }
}
