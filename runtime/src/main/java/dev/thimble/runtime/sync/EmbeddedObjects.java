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
 * <p>Sub-fields are scalars or mixed. Inside a <em>single</em> embedded object (a top-level field) a sub-field
 * may also be a list, set or dictionary of scalars (path {@code [sub, index]}, {@code [sub]}, {@code [sub, key]})
 * or one embedded object of scalars (path {@code [sub]}, {@code [sub, name]}) (decision record "sync moves").
 * Deeper nesting, and collections or embedded objects inside elements of lists or dictionaries of embedded
 * objects, are refused on upload (212) and not sent, so a client never holds half of what the server has.
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
            throw new BadChangesetException(where + " is a collection or embedded object inside an embedded object at this depth;"
                    + " this server syncs collections of scalars and one embedded object of scalars inside a single embedded object only");
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
        return applySingle(null, current, edits);
    }

    /** As {@link #applySingle(BsonValue, List)}, for an object of class {@code embedded} (its collections and nested object too). */
    static BsonValue applySingle(SyncSchema.SyncClass embedded, BsonValue current, List<Instruction.CollectionEdit> edits) {
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
            } else if (object == null) {
                LOG.warn("Sync: update of {}.{}.{} skipped: the object holds no embedded object there", e.table(), e.field(), e.key());
            } else if (embedded != null && embedded.collectionOf(e.key()) != null) {
                object.put(e.key(), CollectionEdits.apply(embedded.collectionOf(e.key()), object.get(e.key()), List.of(inner(e))));
            } else if (embedded != null && embedded.singleEmbedded(e.key())) {
                BsonValue nested = object.get(e.key());
                if (e.sub() == null) {
                    if (e.value() == Changesets.NEW_OBJECT) {
                        if (!(nested instanceof BsonDocument)) {
                            object.put(e.key(), new BsonDocument());
                        }
                    } else {
                        object.remove(e.key()); // a deleted embedded object leaves no field, as App Services left it
                    }
                } else if (nested instanceof BsonDocument n) {
                    n.put(e.sub(), Changesets.stored(e.value()));
                } else {
                    LOG.warn("Sync: update of {}.{}.{}.{} skipped: no embedded object there", e.table(), e.field(), e.key(), e.sub());
                }
            } else {
                object.put(e.key(), Changesets.stored(e.value()));
            }
        }
        return object == null ? BsonNull.VALUE : object;
    }

    /**
     * An edit of a collection inside a single embedded object as the same edit of a top-level collection
     * named like the sub-field ({@code [sub, index]} → {@code [index]}, {@code [sub, key]} → {@code [key]}),
     * so {@link CollectionEdits} checks and applies it.
     */
    static Instruction.CollectionEdit inner(Instruction.CollectionEdit e) {
        return new Instruction.CollectionEdit(e.table(), e.pk(), e.key(), e.type(), e.index(), e.sub(), e.value(), e.to(), e.priorSize());
    }

    /** The reverse of {@link #inner}: a top-level collection edit as the edit of sub-field {@code sub} of embedded field {@code field}. */
    static Instruction.CollectionEdit outer(String field, String sub, Instruction.CollectionEdit e) {
        return new Instruction.CollectionEdit(e.table(), e.pk(), field, e.type(), e.index(), sub, e.value(), e.to(), e.priorSize(), e.key());
    }

    /**
     * Refuses an edit inside a single embedded object of class {@code embedded} (field {@code field} of
     * {@code parent}) that this server does not sync: a sub-field the class does not declare, a value of the
     * wrong kind, collections of embedded objects, and anything deeper than one nested embedded object of scalars.
     */
    static void checkSingle(SyncSchema.SyncClass parent, String field, SyncSchema.SyncClass embedded, Instruction.CollectionEdit e) {
        String sub = e.key();
        String where = parent.name() + "." + field + "." + sub;
        if (sub == null) {
            throw new BadChangesetException(Instruction.NAMES[e.type()] + " of embedded object " + parent.name() + "." + field
                    + " is not an edit this server syncs");
        }
        SyncSchema.CollectionField collection = embedded.collectionOf(sub);
        if (collection != null) {
            if (embedded.embeddedClass(sub) != null) {
                throw new BadChangesetException(where + " is a list or dictionary of embedded objects inside an embedded object;"
                        + " this server syncs collections of scalars inside embedded objects only");
            }
            CollectionEdits.check(embedded, inner(e));
            return;
        }
        if (embedded.singleEmbedded(sub)) {
            SyncSchema.SyncClass nested = embedded.embeddedClass(sub);
            if (e.type() != Instruction.UPDATE || e.index() >= 0) {
                throw new BadChangesetException(Instruction.NAMES[e.type()] + " of " + where + ", an embedded object");
            }
            if (e.sub() == null) {
                if (e.value() != Changesets.NEW_OBJECT && !e.value().isNull()) {
                    throw new BadChangesetException(where + " is an embedded object; it was set to a value that is not one");
                }
                return;
            }
            checkSub(embedded, sub, nested, e.sub(), e.value()); // scalars only: deeper nesting is refused there
            return;
        }
        if (e.type() != Instruction.UPDATE || e.index() >= 0 || e.sub() != null) {
            throw new BadChangesetException(Instruction.NAMES[e.type()] + " of " + where + ", which is not a collection or embedded"
                    + " object in this app's schema");
        }
        checkSub(parent, field, embedded, sub, e.value());
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
        return merge(null, edits, stored, uploadWins);
    }

    /** As {@link #merge(List, BsonValue, boolean)}, for an object of class {@code embedded} (its collections and nested object too). */
    static List<Instruction.CollectionEdit> merge(SyncSchema.SyncClass embedded, List<Instruction.CollectionEdit> edits, BsonValue stored,
                                                  boolean uploadWins) {
        for (int k = 0; k < edits.size(); k++) {
            Instruction.CollectionEdit e = edits.get(k);
            if (e.key() == null && e.value() != Changesets.NEW_OBJECT) {
                return edits.subList(k, edits.size());
            }
        }
        if (stored == null || stored.isNull() || !(stored instanceof BsonDocument doc)) {
            return null;
        }
        // Per sub-field, as realm-core's nested rules decide against the stored object sent as ObjectValue, its
        // sub-fields, Clear + content of its collections and ObjectValue (or Null) + sub-fields of a nested object,
        // all with the field's one stamp: scalars by the later stamp; a collection's edits survive only from a
        // Clear of the later writer (a Clear discards concurrent edits inside it); a nested object's delete wins,
        // its edits are dropped where the stored object has none (Null beats a creation), else the later wins.
        java.util.Set<String> keptFrom = new java.util.HashSet<>();
        List<Instruction.CollectionEdit> kept = new ArrayList<>();
        for (Instruction.CollectionEdit e : edits) {
            String sub = e.key();
            boolean keep;
            if (sub == null) {
                keep = uploadWins; // ObjectValue: idempotent
            } else if (embedded != null && embedded.collectionOf(sub) != null) {
                if (e.clear() && uploadWins) {
                    keptFrom.add(sub);
                }
                keep = keptFrom.contains(sub);
            } else if (embedded != null && embedded.singleEmbedded(sub)) {
                if (e.sub() == null && e.value() != Changesets.NEW_OBJECT) {
                    keptFrom.add(sub); // a delete of the nested object
                }
                keep = keptFrom.contains(sub) || (uploadWins && doc.get(sub) instanceof BsonDocument);
            } else {
                keep = uploadWins;
            }
            if (keep) {
                kept.add(e);
            }
        }
        return kept.isEmpty() ? null : kept;
    }

    /**
     * The instructions that put a stored single embedded object on a client: {@code Update(field, Null)}
     * for none, else {@code Update(field, ObjectValue)} and one update per sub-field the class declares
     * (a missing optional sub-field as null, so that a client's concurrent value does not survive where
     * the server has none). Null when the stored value cannot be sent (not a sub-document, or a
     * sub-field of another type than the schema's).
     */
    static List<Instruction> rebuildSingle(String table, BsonValue pk, String field, SyncSchema.SyncClass embedded, BsonValue stored) {
        return rebuildSingle(table, pk, field, embedded, stored, null);
    }

    /**
     * As {@link #rebuildSingle(String, BsonValue, String, SyncSchema.SyncClass, BsonValue)}, with the
     * collections of scalars inside the object ({@code Clear} and content under {@code [sub]}) and a nested
     * embedded object ({@code [sub]} ObjectValue or Null, then {@code [sub, name]}); {@code declared}: the
     * properties the receiving client declared per class (null: all), since realm-core fails a changeset that
     * names a property its schema lacks.
     */
    static List<Instruction> rebuildSingle(String table, BsonValue pk, String field, SyncSchema.SyncClass embedded, BsonValue stored,
                                           Map<String, java.util.Set<String>> declared) {
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
        java.util.Set<String> mine = declared == null ? null : declared.get(embedded.name());
        subs.removeIf(e -> mine != null && !mine.contains(e.key()));
        out.addAll(subs);
        for (Map.Entry<String, SyncSchema.CollectionField> c : embedded.collections().entrySet()) {
            String sub = c.getKey();
            if (embedded.embeddedClass(sub) != null || (mine != null && !mine.contains(sub))) {
                continue; // collections of embedded objects inside an embedded object are not synced
            }
            BsonValue value = doc.get(sub);
            List<Instruction> rebuilt = CollectionEdits.rebuild(table, pk, sub, c.getValue(), null, value == null ? BsonNull.VALUE : value);
            if (rebuilt == null) {
                LOG.debug("Sync: {}.{}.{} of {} not sent: an element does not fit the schema", table, field, sub, pk);
                return null;
            }
            rebuilt.forEach(i -> out.add(outer(field, sub, (Instruction.CollectionEdit) i)));
        }
        for (Map.Entry<String, SyncSchema.SyncClass> n : embedded.embedded().entrySet()) {
            String sub = n.getKey();
            if (!embedded.singleEmbedded(sub) || (mine != null && !mine.contains(sub))) {
                continue;
            }
            if (!(doc.get(sub) instanceof BsonDocument nested)) {
                out.add(new Instruction.CollectionEdit(table, pk, field, Instruction.UPDATE, -1, sub, BsonNull.VALUE, -1, -1));
                continue;
            }
            out.add(new Instruction.CollectionEdit(table, pk, field, Instruction.UPDATE, -1, sub, Changesets.NEW_OBJECT, -1, -1));
            List<Instruction.CollectionEdit> inner = subFields(table, pk, field, -1, sub, n.getValue(), nested, false);
            if (inner == null) {
                return null;
            }
            java.util.Set<String> theirs = declared == null ? null : declared.get(n.getValue().name());
            inner.removeIf(e -> theirs != null && !theirs.contains(e.sub()));
            out.addAll(inner);
        }
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
