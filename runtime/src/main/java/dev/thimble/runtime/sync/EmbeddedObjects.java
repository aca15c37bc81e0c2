package dev.thimble.runtime.sync;

import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Embedded objects between realm-core's instructions and MongoDB sub-documents, as App Services stored
 * them: an embedded object has no primary key and is addressed by its path (the parent's field, then a
 * list index or dictionary key, then the sub-field). A client creates one with an {@code ObjectValue}
 * payload ({@link Changesets#NEW_OBJECT}) and sets its sub-fields with path {@code Update}s; a download
 * sends it the same way, every sub-field with the field's stamp (decision record "sync embedded objects").
 *
 * <p>Sub-fields are scalars or mixed; embedded objects or collections inside an embedded object are
 * refused on upload (212) and not sent, so a client never holds half of what the server has.
 */
final class EmbeddedObjects {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedObjects.class);

    private EmbeddedObjects() {
    }

    /** Refuses a sub-field update that the embedded class does not declare as a scalar (before anything is written). */
    static void checkSub(SyncSchema.SyncClass parent, String field, SyncSchema.SyncClass embedded, String sub, BsonValue value) {
        String where = parent.name() + "." + field + "." + sub;
        String type = embedded.fieldTypes().get(sub);
        if (type == null) {
            throw new BadChangesetException("embedded object " + embedded.name() + " (in " + parent.name() + "." + field
                    + ") has no property " + sub + " in this app's schema");
        }
        if (embedded.collections().containsKey(sub) || embedded.embedded().containsKey(sub)) {
            throw new BadChangesetException(where + " is a collection or embedded object inside an embedded object;"
                    + " this server syncs scalar and mixed sub-fields of embedded objects only");
        }
        if (value == Changesets.NEW_OBJECT || value == Changesets.ERASED_VALUE) {
            throw new BadChangesetException(where + " is not an embedded object or dictionary");
        }
        if (Changesets.isLink(value)) {
            throw new BadChangesetException(where + ": links inside embedded objects are not synced by this server yet");
        }
    }

    /**
     * A single embedded object field after the uploaded edits, applied in order to the stored value:
     * {@code ObjectValue} creates the object if there is none (realm-core: creation is idempotent),
     * {@code Null} removes it, and a sub-field update sets that sub-field. A sub-field update with no
     * object to update (only possible if the object was removed by other means meanwhile) is skipped, logged.
     *
     * @return the sub-document, or null for no object
     */
    static BsonValue applySingle(BsonValue current, List<Instruction.CollectionEdit> edits) {
        BsonDocument object = current instanceof BsonDocument d ? d.clone() : null;
        for (Instruction.CollectionEdit e : edits) {
            if (e.key() == null) {
                if (e.value() == Changesets.NEW_OBJECT) {
                    if (object == null) {
                        object = new BsonDocument();
                    }
                } else {
                    object = null; // Update(field, Null): the embedded object is deleted
                }
            } else if (object != null) {
                object.put(e.key(), Changesets.stored(e.value()));
            } else {
                LOG.warn("Sync: update of {}.{}.{} skipped: the object holds no embedded object there", e.table(), e.field(), e.key());
            }
        }
        return object == null ? BsonNull.VALUE : object;
    }

    /**
     * An element of a list or dictionary of embedded objects with one sub-field set, as a new
     * sub-document (the stored value is never changed in place: it is also the "before" the rules and
     * the echo bookkeeping compare with). An element that is not an embedded object (changed by other
     * means meanwhile) is returned as it is, and the edit skipped, logged.
     */
    static BsonValue withSub(BsonValue element, Instruction.CollectionEdit e) {
        if (element instanceof BsonDocument d) {
            BsonDocument copy = d.clone();
            copy.put(e.sub(), Changesets.stored(e.value()));
            return copy;
        }
        LOG.warn("Sync: update of {}.{}[{}].{} skipped: the element is not an embedded object", e.table(), e.field(),
                e.key() != null ? e.key() : e.index(), e.sub());
        return element;
    }

    /**
     * Whether an uploaded edit sequence of a single embedded object survives a concurrent stored write
     * of the field (stamp {@code storedStamp}, value {@code stored}), by the rules of decision 0033 worked out
     * from realm-core's transform: a {@code Null} (delete) is applied whatever the stamps; against a
     * stored {@code null} the upload's creation and sub-field updates are dropped (a delete beats a
     * concurrent creation on every client); otherwise the later stamp wins, for all sub-fields at once
     * (every download carries all sub-fields with the field's one stamp, so both sides compare against it).
     *
     * @return the edits to apply (possibly fewer, from the first delete on), or null to drop them all
     */
    static List<Instruction.CollectionEdit> merge(List<Instruction.CollectionEdit> edits, BsonValue stored, boolean uploadWins) {
        for (int k = 0; k < edits.size(); k++) {
            Instruction.CollectionEdit e = edits.get(k);
            if (e.key() == null && e.value() != Changesets.NEW_OBJECT) {
                return edits.subList(k, edits.size());
            }
        }
        if (stored == null || stored.isNull() || !uploadWins) {
            return null;
        }
        return edits;
    }

    /**
     * The instructions that put a stored single embedded object on a client: {@code Update(field, Null)}
     * for none, else {@code Update(field, ObjectValue)} and one update per sub-field the class declares
     * (a missing optional sub-field as null, so that a client's concurrent value does not survive where
     * the server has none). Null when the stored value cannot be sent (not a sub-document, or a
     * sub-field of another type than the schema's).
     */
    static List<Instruction> rebuildSingle(String table, BsonValue pk, String field, SyncSchema.SyncClass embedded, BsonValue stored) {
        if (stored == null || stored.isNull()) {
            return List.of(new Instruction.Update(table, pk, field, BsonNull.VALUE, false));
        }
        if (!(stored instanceof BsonDocument doc)) {
            return null;
        }
        List<Instruction> out = new ArrayList<>();
        out.add(new Instruction.Update(table, pk, field, Changesets.NEW_OBJECT, false));
        List<Instruction.CollectionEdit> subs = subFields(table, pk, field, -1, null, embedded, doc, true);
        if (subs == null) {
            return null;
        }
        out.addAll(subs);
        return out;
    }

    /**
     * The sub-field updates of one embedded object: of a single embedded field ({@code single}: path
     * {@code [sub]}), or of the element at {@code index} / {@code key} of a list or dictionary (path
     * {@code [index or key, sub]}). Null if a stored sub-field does not fit the schema.
     */
    static List<Instruction.CollectionEdit> subFields(String table, BsonValue pk, String field, long index, String key,
                                                      SyncSchema.SyncClass embedded, BsonDocument doc, boolean single) {
        List<Instruction.CollectionEdit> out = new ArrayList<>();
        for (Map.Entry<String, String> property : embedded.fieldTypes().entrySet()) {
            String sub = property.getKey();
            if (embedded.collections().containsKey(sub) || embedded.embedded().containsKey(sub)) {
                continue; // not synced inside embedded objects (refused on upload)
            }
            BsonValue v = doc.get(sub);
            if (v == null) {
                if (embedded.required().contains(sub)) {
                    continue; // Realm holds its default; the server has no value to send
                }
                v = BsonNull.VALUE;
            }
            v = Changesets.realmValue(v);
            if (!(embedded.mixed(sub) ? CollectionEdits.scalarOrNull(v) : CollectionEdits.fits(property.getValue(), v))) {
                LOG.debug("Sync: embedded {}.{}.{} of {} does not fit the schema's {}", table, field, sub, pk, property.getValue());
                return null;
            }
            v = Changesets.forSchemaType(property.getValue(), v);
            out.add(single
                    ? new Instruction.CollectionEdit(table, pk, field, Instruction.UPDATE, -1, sub, v, -1, -1)
                    : new Instruction.CollectionEdit(table, pk, field, Instruction.UPDATE, index, key, v, -1, -1, sub));
        }
        return out;
    }
}
