package dev.thimble.runtime.sync;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists, sets and dictionaries of scalars between realm-core's collection instructions and MongoDB
 * values: an uploaded sequence of edits becomes the field's new whole value (an array, or a
 * sub-document for a dictionary), and a stored value becomes the instructions that rebuild it on a
 * client ({@code Clear}, then one insert per element).
 */
final class CollectionEdits {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionEdits.class);

    private CollectionEdits() {
    }

    /** Refuses an edit that does not fit the field's kind in the app's schema (before anything is written). */
    static void check(SyncSchema.SyncClass syncClass, Instruction.CollectionEdit e) {
        SyncSchema.CollectionField field = syncClass.collectionOf(e.field());
        String where = syncClass.name() + "." + e.field();
        if (field == null) {
            throw new BadChangesetException(Instruction.NAMES[e.type()] + " on " + where
                    + ", which is not a list, set or dictionary in this app's schema");
        }
        boolean fits = switch (field.kind()) {
            case LIST -> e.clear() || (e.index() >= 0 && (e.type() == Instruction.ARRAY_INSERT || e.type() == Instruction.ARRAY_MOVE
                    || e.type() == Instruction.ARRAY_ERASE || e.type() == Instruction.UPDATE));
            case SET -> e.clear() || e.type() == Instruction.SET_INSERT || e.type() == Instruction.SET_ERASE;
            case DICTIONARY -> e.clear() || (e.key() != null && e.type() == Instruction.UPDATE);
        };
        if (!fits) {
            throw new BadChangesetException(Instruction.NAMES[e.type()] + " does not apply to " + where + ", a "
                    + field.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (e.key() != null && (e.key().isEmpty() || e.key().startsWith("$") || e.key().contains("."))) {
            throw new BadChangesetException("dictionary key \"" + e.key() + "\" of " + where
                    + " cannot be a MongoDB field name (empty, starting with $ or containing a dot)");
        }
        SyncSchema.SyncClass embedded = syncClass.embeddedClass(e.field());
        if (e.sub() != null) {
            if (embedded == null || e.type() != Instruction.UPDATE) {
                throw new BadChangesetException(Instruction.NAMES[e.type()] + " of " + where + "[" + (e.key() != null ? e.key() : e.index())
                        + "]." + e.sub() + ": the elements of " + where + " are not embedded objects in this app's schema");
            }
            EmbeddedObjects.checkSub(syncClass, e.field(), embedded, e.sub(), e.value());
            return;
        }
        if (e.value() == Changesets.NEW_OBJECT) {
            if (embedded == null) {
                throw new BadChangesetException("an embedded object in " + where + ", whose elements are not embedded objects in this app's schema");
            }
            return;
        }
        if (embedded != null && e.value() != null && e.value() != Changesets.ERASED_VALUE && !e.value().isNull()) {
            throw new BadChangesetException("a value that is not an embedded object in " + where + ", a collection of embedded objects");
        }
        if (e.value() != null && Changesets.isLink(e.value())) {
            if (!e.value().asDocument().getString(Changesets.LINK_TARGET).getValue().equals(syncClass.linkTarget(e.field()))) {
                throw new BadChangesetException("a link in " + where + " does not match the relationship in the app's rules");
            }
        } else if (e.value() != null && e.value() != Changesets.ERASED_VALUE && !e.value().isNull() && !scalar(e.value())) {
            throw new BadChangesetException("an element of " + where + " is not a scalar value");
        }
    }

    /**
     * The field's value after the edits, applied in upload order to the stored value ({@code current},
     * null or of another type counting as empty). An index outside the stored collection (possible only
     * if it changed by other means between the client's view and now) skips that edit, logged.
     */
    static BsonValue apply(SyncSchema.CollectionField field, BsonValue current, List<Instruction.CollectionEdit> edits) {
        return switch (field.kind()) {
            case LIST, SET -> {
                List<BsonValue> items = current instanceof BsonArray a ? new ArrayList<>(a.getValues()) : new ArrayList<>();
                for (Instruction.CollectionEdit e : edits) {
                    applyToList(items, e, field.kind() == SyncSchema.Collection.SET);
                }
                yield new BsonArray(items);
            }
            case DICTIONARY -> {
                BsonDocument entries = current instanceof BsonDocument d ? d.clone() : new BsonDocument();
                for (Instruction.CollectionEdit e : edits) {
                    if (e.clear()) {
                        entries.clear();
                    } else if (e.sub() != null) {
                        if (entries.containsKey(e.key())) {
                            entries.put(e.key(), EmbeddedObjects.withSub(entries.get(e.key()), e));
                        } else {
                            LOG.warn("Sync: update of {}.{}[{}].{} skipped: no such key", e.table(), e.field(), e.key(), e.sub());
                        }
                    } else if (e.value() == Changesets.ERASED_VALUE) {
                        entries.remove(e.key());
                    } else {
                        entries.put(e.key(), element(e.value()));
                    }
                }
                yield entries;
            }
        };
    }

    /** What MongoDB stores for an uploaded element: a new embedded object is an empty sub-document its sub-field updates fill. */
    private static BsonValue element(BsonValue uploaded) {
        return uploaded == Changesets.NEW_OBJECT ? new BsonDocument() : Changesets.stored(uploaded);
    }

    private static void applyToList(List<BsonValue> items, Instruction.CollectionEdit e, boolean set) {
        int size = items.size();
        int index = (int) e.index();
        if (e.sub() != null) {
            if (index < size) {
                items.set(index, EmbeddedObjects.withSub(items.get(index), e));
            } else {
                skipped(e, size);
            }
            return;
        }
        switch (e.type()) {
            case Instruction.CLEAR -> items.clear();
            case Instruction.SET_INSERT -> {
                if (items.stream().noneMatch(v -> same(v, Changesets.stored(e.value())))) {
                    items.add(Changesets.stored(e.value()));
                }
            }
            case Instruction.SET_ERASE -> items.removeIf(v -> same(v, Changesets.stored(e.value())));
            case Instruction.ARRAY_INSERT -> {
                if (index <= size) {
                    items.add(index, element(e.value()));
                } else {
                    skipped(e, size);
                }
            }
            case Instruction.ARRAY_ERASE -> {
                if (index < size) {
                    items.remove(index);
                } else {
                    skipped(e, size);
                }
            }
            case Instruction.ARRAY_MOVE -> {
                if (index < size && e.to() < size) {
                    items.add((int) e.to(), items.remove(index));
                } else {
                    skipped(e, size);
                }
            }
            case Instruction.UPDATE -> {
                if (index < size && e.value() == Changesets.NEW_OBJECT && items.get(index) instanceof BsonDocument) {
                    // realm-core's applier: a new embedded object at an existing element is a no-op (creation is
                    // idempotent), the element keeps its sub-fields. Its own client replaces an element with
                    // ArrayErase + ArrayInsert instead, so only another encoder sends this.
                    return;
                }
                if (index < size) {
                    items.set(index, element(e.value()));
                } else {
                    skipped(e, size);
                }
            }
            default -> throw new BadChangesetException(Instruction.NAMES[e.type()] + " does not apply to a " + (set ? "set" : "list"));
        }
    }

    private static void skipped(Instruction.CollectionEdit e, int size) {
        LOG.warn("Sync: {} at index {} of {}.{} skipped: the stored list has {} elements", Instruction.NAMES[e.type()],
                e.index(), e.table(), e.field(), size);
    }

    /** Set membership: equal BSON values, with int32 and int64 of the same number counting as equal. */
    private static boolean same(BsonValue a, BsonValue b) {
        return Changesets.realmValue(a).equals(Changesets.realmValue(b));
    }

    /**
     * The instructions that rebuild a stored collection on a client: Clear (which, by realm-core's merge
     * rules, also discards the client's concurrent unsynced edits of it), then each element. Null when
     * the stored value cannot be sent (an element of another type than the schema's, or not a scalar):
     * the field is then left out rather than sent in part.
     */
    static List<Instruction> rebuild(String table, BsonValue pk, String fieldName, SyncSchema.CollectionField field, String linkTarget,
                                     BsonValue stored) {
        return rebuild(table, pk, fieldName, field, linkTarget, null, stored);
    }

    /**
     * As {@link #rebuild(String, BsonValue, String, SyncSchema.CollectionField, String, BsonValue)}; for a
     * list or dictionary of embedded objects ({@code embedded} their class) each element is created
     * ({@code ObjectValue}) and its sub-fields set.
     */
    static List<Instruction> rebuild(String table, BsonValue pk, String fieldName, SyncSchema.CollectionField field, String linkTarget,
                                     SyncSchema.SyncClass embedded, BsonValue stored) {
        List<Instruction> out = new ArrayList<>();
        if (embedded != null) {
            out.add(new Instruction.CollectionEdit(table, pk, fieldName, Instruction.CLEAR, -1, null, null, field.kind().realmType, -1));
            if (stored == null || stored.isNull()) {
                return out;
            }
            if (field.kind() == SyncSchema.Collection.LIST && stored instanceof BsonArray array) {
                for (int i = 0; i < array.size(); i++) {
                    if (!(array.get(i) instanceof BsonDocument element)) {
                        return null;
                    }
                    out.add(new Instruction.CollectionEdit(table, pk, fieldName, Instruction.ARRAY_INSERT, i, null, Changesets.NEW_OBJECT, -1, i));
                    List<Instruction.CollectionEdit> subs = EmbeddedObjects.subFields(table, pk, fieldName, i, null, embedded, element, false);
                    if (subs == null) {
                        return null;
                    }
                    out.addAll(subs);
                }
                return out;
            }
            if (field.kind() == SyncSchema.Collection.DICTIONARY && stored instanceof BsonDocument entries) {
                for (Map.Entry<String, BsonValue> entry : entries.entrySet()) {
                    if (entry.getValue().isNull()) {
                        out.add(new Instruction.CollectionEdit(table, pk, fieldName, Instruction.UPDATE, -1, entry.getKey(), entry.getValue(), -1, -1));
                        continue;
                    }
                    if (!(entry.getValue() instanceof BsonDocument element)) {
                        return null;
                    }
                    out.add(new Instruction.CollectionEdit(table, pk, fieldName, Instruction.UPDATE, -1, entry.getKey(), Changesets.NEW_OBJECT, -1, -1));
                    List<Instruction.CollectionEdit> subs = EmbeddedObjects.subFields(table, pk, fieldName, -1, entry.getKey(), embedded, element, false);
                    if (subs == null) {
                        return null;
                    }
                    out.addAll(subs);
                }
                return out;
            }
            return null;
        }
        out.add(new Instruction.CollectionEdit(table, pk, fieldName, Instruction.CLEAR, -1, null, null, field.kind().realmType, -1));
        switch (field.kind()) {
            case LIST, SET -> {
                if (!(stored instanceof BsonArray array)) {
                    return stored == null || stored.isNull() ? out : null;
                }
                int i = 0;
                for (BsonValue raw : array) {
                    BsonValue v = Changesets.realmValue(raw);
                    if (!fits(field.itemType(), v) || (linkTarget != null && v.isNull())) {
                        return null;
                    }
                    if (linkTarget != null) {
                        v = Changesets.link(linkTarget, v);
                    }
                    v = Changesets.forSchemaType(field.itemType(), v);
                    out.add(field.kind() == SyncSchema.Collection.SET
                            ? new Instruction.CollectionEdit(table, pk, fieldName, Instruction.SET_INSERT, -1, null, v, -1, -1)
                            : new Instruction.CollectionEdit(table, pk, fieldName, Instruction.ARRAY_INSERT, i, null, v, -1, i));
                    i++;
                }
            }
            case DICTIONARY -> {
                if (!(stored instanceof BsonDocument entries)) {
                    return stored == null || stored.isNull() ? out : null;
                }
                for (Map.Entry<String, BsonValue> entry : entries.entrySet()) {
                    BsonValue v = Changesets.realmValue(entry.getValue());
                    if (!fits(field.itemType(), v)) {
                        return null;
                    }
                    if (linkTarget != null && !v.isNull()) {
                        v = Changesets.link(linkTarget, v);
                    }
                    v = Changesets.forSchemaType(field.itemType(), v);
                    out.add(new Instruction.CollectionEdit(table, pk, fieldName, Instruction.UPDATE, -1, entry.getKey(), v, -1, -1));
                }
            }
        }
        return out;
    }

    /** Whether a stored element can be sent as an element of the schema's type (null for any nullable element). */
    static boolean fits(String bsonType, BsonValue v) {
        if (v.isNull()) {
            return true;
        }
        return switch (bsonType) {
            case "mixed" -> scalar(v) || Changesets.isLink(v); // a typed link (decision record 0045)
            case "string" -> v.isString();
            case "long", "int" -> v.isInt64();
            case "double", "float" -> v.isDouble();
            case "bool" -> v.isBoolean();
            case "objectId" -> v.isObjectId();
            case "date" -> v.isDateTime();
            case "uuid" -> v instanceof BsonBinary b && b.getType() == 4;
            case "binData" -> v instanceof BsonBinary b && b.getType() != 4;
            case "decimal" -> v.isDecimal128();
            default -> false;
        };
    }

    /** Whether a value is one Realm's {@code mixed} can hold here: a scalar (binary and decimal128 included) or null; no collections. */
    static boolean scalarOrNull(BsonValue v) {
        return v.isNull() || scalar(v);
    }

    private static boolean scalar(BsonValue v) {
        return switch (v.getBsonType()) {
            case INT32, INT64, BOOLEAN, STRING, DOUBLE, DATE_TIME, OBJECT_ID, DECIMAL128, BINARY -> true;
            default -> false;
        };
    }
}
