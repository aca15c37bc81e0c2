package dev.thimble.runtime.sync;

import org.bson.BsonNull;

import static dev.thimble.runtime.sync.SyncService.classFor;
import static dev.thimble.runtime.sync.SyncService.stripClassPrefix;

/**
 * The checks an upload's instructions pass against the app's sync schema before anything is written. They exist apart
 * from {@link SyncService}'s integration of uploads because they depend on the schema alone: what a client may send,
 * kept in one place, and refused with a clear {@link BadChangesetException} rather than applied differently than meant.
 */
final class UploadChecks {
    private UploadChecks() {
    }

    /**
     * Refuses, before anything is written, an instruction this server cannot apply as the client meant
     * it (so two clients never diverge silently): embedded classes and columns the app's schema does not
     * declare, links without a relationship, typed links in mixed fields, and anything {@link Changesets}
     * parsed as unsupported (counters, nested collections, deeper paths, schema removal).
     */
    static void check(SyncSchema schema, Instruction i) {
        if (i instanceof Instruction.Unsupported u) {
            throw new BadChangesetException(u.name() + " on " + u.table() + (u.field() == null ? "" : "." + u.field())
                    + " is not supported by this server yet (counters, collections inside embedded objects or mixed values,"
                    + " and embedded objects inside embedded objects are refused)");
        }
        if (i instanceof Instruction.AddTable t && t.embedded()) {
            if (schema.embeddedClass(stripClassPrefix(t.table())) == null) {
                throw new BadChangesetException("embedded object class " + t.table() + " is not in this app's sync schema (a property of a"
                        + " synced collection's JSON schema with bsonType object, \"properties\" and title \"" + stripClassPrefix(t.table()) + "\")");
            }
            return;
        }
        if (i instanceof Instruction.AddColumn c) {
            SyncSchema.SyncClass embedded = schema.classes().containsKey(stripClassPrefix(c.table())) ? null : schema.embeddedClass(stripClassPrefix(c.table()));
            if (embedded != null) {
                // Any declaration of the class may have the property (a single object's class may have more than a list's elements).
                boolean scalarCollection = false;
                boolean nestedObject = false;
                for (SyncSchema.SyncClass e : schema.embeddedClasses(stripClassPrefix(c.table()))) {
                    SyncSchema.CollectionField inner = e.collectionOf(c.field());
                    scalarCollection |= c.collectionType() != 0 && c.type() != Changesets.LINK && inner != null
                            && inner.kind().realmType == c.collectionType() && e.embeddedClass(c.field()) == null;
                    nestedObject |= c.collectionType() == 0 && c.type() == Changesets.LINK && e.singleEmbedded(c.field());
                }
                if ((c.collectionType() != 0 || c.type() == Changesets.LINK) && !scalarCollection && !nestedObject) {
                    throw new BadChangesetException("property " + c.table() + "." + c.field() + " is a collection, link or embedded object inside"
                            + " an embedded object that this app's schema does not declare so (this server syncs collections of scalars and"
                            + " single embedded objects inside embedded objects)");
                }
                return;
            }
            SyncSchema.SyncClass owner = classFor(schema, c.table());
            if (c.collectionType() != 0) {
                SyncSchema.CollectionField field = owner.collectionOf(c.field());
                if (field == null || field.kind().realmType != c.collectionType()) {
                    throw new BadChangesetException("collection property " + c.table() + "." + c.field() + " is not a "
                            + (field == null ? "collection" : field.kind().name().toLowerCase(java.util.Locale.ROOT))
                            + " of the same kind in this app's schema");
                }
            }
            if (c.type() == Changesets.LINK && owner.linkTarget(c.field()) == null && owner.embeddedClass(c.field()) == null) {
                throw new BadChangesetException("link property " + c.table() + "." + c.field()
                        + " has no relationship in the app's rules (the rule's \"relationships\" name the linked collection)"
                        + " and is not an embedded object in its JSON schema");
            }
            return;
        }
        if (i instanceof Instruction.AddTable) {
            return;
        }
        SyncSchema.SyncClass syncClass = classFor(schema, i.table());
        if (i instanceof Instruction.Update u) {
            if (syncClass.singleEmbedded(u.field())) {
                if (u.value() != Changesets.NEW_OBJECT && !u.value().isNull()) {
                    throw new BadChangesetException(u.table() + "." + u.field() + " is an embedded object; it was set to a value that is not one");
                }
                return;
            }
            if (u.value() == Changesets.NEW_OBJECT) {
                throw new BadChangesetException("an embedded object in " + u.table() + "." + u.field()
                        + ", which is not an embedded object in this app's schema");
            }
            if (Changesets.isLink(u.value()) && syncClass.mixed(u.field())) {
                MixedLinks.check(schema, u.table() + "." + u.field(), u.value());
                return;
            }
            if (Changesets.isLink(u.value())
                    && !u.value().asDocument().getString(Changesets.LINK_TARGET).getValue().equals(syncClass.linkTarget(u.field()))) {
                throw new BadChangesetException("a link in " + u.table() + "." + u.field() + " does not match the relationship in the app's rules");
            }
        }
        if (i instanceof Instruction.AddInteger a) {
            String type = syncClass.fieldTypes().get(a.field());
            if (!"long".equals(type) && !"int".equals(type)) {
                throw new BadChangesetException("AddInteger (a counter's increment) on " + a.table() + "." + a.field()
                        + ", which is not an integer property (bsonType long or int) in this app's schema");
            }
            return;
        }
        if (i instanceof Instruction.CollectionEdit e) {
            if (syncClass.singleEmbedded(e.field())) {
                // A path inside the embedded object: a sub-field, a collection of it, or a nested embedded object (the
                // wire cannot tell a sub-field from a dictionary key; the schema does).
                EmbeddedObjects.checkSingle(syncClass, e.field(), syncClass.embeddedClass(e.field()), e);
                return;
            }
            if (e.key() != null && (e.index() >= 0 || e.type() != Instruction.UPDATE)) {
                throw new BadChangesetException(Instruction.NAMES[e.type()] + " inside " + e.table() + "." + e.field() + "[" + e.key()
                        + "] is not supported by this server yet (collections inside elements of collections are refused)");
            }
            if (e.value() != null && Changesets.isLink(e.value()) && syncClass.collectionOf(e.field()) != null
                    && "mixed".equals(syncClass.collectionOf(e.field()).itemType()) && e.sub() == null) {
                MixedLinks.check(schema, e.table() + "." + e.field(), e.value());
                CollectionEdits.check(syncClass, new Instruction.CollectionEdit(e.table(), e.pk(), e.field(), e.type(), e.index(), e.key(),
                        BsonNull.VALUE, e.to(), e.priorSize())); // the edit's shape; the link was checked above
                return;
            }
            CollectionEdits.check(syncClass, e);
        }
    }
}
