package dev.thimble.runtime.sync;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A typed link in a {@code mixed} property (a mixed value pointing at an object of any synced class)
 * and its MongoDB form: a DBRef-style sub-document {@code {"$ref": <collection>, "$id": <_id>}}
 * naming the target's collection in the synced database, so the target's class comes back with it
 * (a plain {@code _id}, as a to-one link field stores, would lose the class).
 */
final class MixedLinks {
    static final String REF = "$ref", ID = "$id";

    private MixedLinks() {
    }

    /** Refuses a mixed link whose target class is not a synced (top-level) class of the app. */
    static void check(SyncSchema schema, String where, BsonValue link) {
        String target = link.asDocument().getString(Changesets.LINK_TARGET).getValue();
        String name = target.startsWith("class_") ? target.substring(6) : target;
        if (!schema.classes().containsKey(name)) {
            throw new BadChangesetException("a link in mixed property " + where + " to class " + name
                    + ", which is not a synced class of this app (a collection rule with schema title \"" + name + "\")");
        }
    }

    /** What MongoDB stores for a mixed link: the target's collection and _id. */
    static BsonValue stored(SyncSchema schema, BsonValue link) {
        String target = link.asDocument().getString(Changesets.LINK_TARGET).getValue();
        SyncSchema.SyncClass c = schema.classes().get(target.startsWith("class_") ? target.substring(6) : target);
        return new BsonDocument(REF, new BsonString(c.collection())).append(ID, link.asDocument().get(Changesets.LINK_KEY));
    }

    /** Whether a stored mixed value is a reference ({@code $ref} and {@code $id}). */
    static boolean isStoredLink(BsonValue v) {
        return v instanceof BsonDocument d && d.get(REF) instanceof BsonString && d.containsKey(ID);
    }

    /**
     * A stored value with its references turned into links: a reference itself, or the elements of an
     * array or sub-document (a list or dictionary of mixed). A reference to a collection that is not
     * synced stays as stored (and so does not fit a mixed: the field is not sent).
     */
    static BsonValue linksIn(SyncSchema schema, BsonValue stored) {
        if (isStoredLink(stored)) {
            BsonValue link = link(schema, stored);
            return link == null ? stored : link;
        }
        if (stored instanceof org.bson.BsonArray array) {
            org.bson.BsonArray out = new org.bson.BsonArray();
            array.forEach(v -> out.add(isStoredLink(v) ? linksIn(schema, v) : v));
            return out;
        }
        if (stored instanceof BsonDocument d && !d.isEmpty()) {
            BsonDocument out = new BsonDocument();
            d.forEach((k, v) -> out.put(k, isStoredLink(v) ? linksIn(schema, v) : v));
            return out;
        }
        return stored;
    }

    /** The link a stored reference stands for, or null when its collection is not a synced class's. */
    static BsonValue link(SyncSchema schema, BsonValue stored) {
        BsonDocument ref = stored.asDocument();
        return schema.classOf(schema.database(), ref.getString(REF).getValue())
                .map(c -> (BsonValue) Changesets.link(c.name(), Changesets.realmValue(ref.get(ID))))
                .orElse(null);
    }
}
