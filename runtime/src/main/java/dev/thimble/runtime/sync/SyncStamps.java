package dev.thimble.runtime.sync;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who last wrote each field of each synced object, when, and at which server version (persisted in
 * the app's state database, {@code sync_objects}), plus the stamp of the object's last erase.
 *
 * <p>These stamps are what makes the server merge like realm-core's clients do: a client transforms a
 * downloaded changeset against its own unsynced changes by the changeset's origin timestamp and file
 * identity, so the server sends each field with the stamp of the write that set it and judges each
 * uploaded field by the same rule ({@link #wins}).
 */
final class SyncStamps {
    /**
     * One write: its origin timestamp (sync epoch ms), origin client file, and server version; {@code dflt} marks a
     * default value written with a new object (realm-core's {@code is_default}), which loses to any concurrent real
     * set and lets every concurrent counter increment survive (decision record "sync counters").
     */
    record Stamp(long timestamp, long origin, long version, boolean dflt) {
        Stamp(long timestamp, long origin, long version) {
            this(timestamp, origin, version, false);
        }

        /** The same write, marked as a default value or not. */
        Stamp asDefault(boolean isDefault) {
            return isDefault == dflt ? this : new Stamp(timestamp, origin, version, isDefault);
        }

        /** realm-core's order of concurrent writes: timestamp, then origin file identity. */
        boolean after(Stamp other) {
            return timestamp != other.timestamp ? timestamp > other.timestamp : origin > other.origin;
        }

        Document toDocument() {
            Document d = new Document("ts", timestamp).append("origin", origin).append("v", version);
            return dflt ? d.append("d", true) : d;
        }

        static Stamp of(Document d) {
            return d == null ? null : new Stamp(d.get("ts", Number.class).longValue(), d.get("origin", Number.class).longValue(),
                    d.get("v", Number.class).longValue(), Boolean.TRUE.equals(d.getBoolean("d")));
        }
    }

    /** An object's stamps: per field, and its last erase (null if never erased). */
    record ObjectStamps(Map<String, Stamp> fields, Stamp erased) {
        static final ObjectStamps NONE = new ObjectStamps(Map.of(), null);
    }

    private final MongoCollection<Document> objects;

    SyncStamps(MongoCollection<Document> objects) {
        this.objects = objects;
    }

    /**
     * Whether an uploaded write with stamp {@code incoming}, made by a client that had integrated server
     * version {@code clientSawVersion}, wins over the stored write {@code stored}: always when nothing
     * is stored, when the stored write came from the same client, or when the client had seen it (the
     * writes are not concurrent); else the later of the two by realm-core's order.
     */
    static boolean wins(Stamp incoming, long clientSawVersion, Stamp stored) {
        if (stored == null || stored.origin() == incoming.origin() || stored.version() <= clientSawVersion) {
            return true;
        }
        return incoming.after(stored);
    }

    /** Whether {@code stored} is a write the uploading client had not seen (a concurrent one). */
    static boolean concurrent(Stamp stored, long uploader, long clientSawVersion) {
        return stored != null && stored.origin() != uploader && stored.version() > clientSawVersion;
    }

    ObjectStamps get(String key) {
        return get(List.of(key)).getOrDefault(key, ObjectStamps.NONE);
    }

    /** The stamps of many objects at once (missing keys have none). */
    Map<String, ObjectStamps> get(Collection<String> keys) {
        Map<String, ObjectStamps> out = new HashMap<>();
        List<String> batch = new ArrayList<>();
        for (String key : keys) {
            batch.add(key);
            if (batch.size() == 500) {
                load(batch, out);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            load(batch, out);
        }
        return out;
    }

    private void load(List<String> keys, Map<String, ObjectStamps> out) {
        for (Document d : objects.find(Filters.in("_id", keys))) {
            Map<String, Stamp> fields = new HashMap<>();
            Document f = d.get("fields", Document.class);
            if (f != null) {
                f.forEach((name, stamp) -> fields.put(name, Stamp.of((Document) stamp)));
            }
            out.put(d.getString("_id"), new ObjectStamps(fields, Stamp.of(d.get("erased", Document.class))));
        }
    }

    /** One object's write for {@link #writeAll}: the fields it set (those in {@code defaults} as default values), or null for an erase. */
    record Write(String key, Collection<String> fields, Stamp stamp, Collection<String> defaults) {
        Write(String key, Collection<String> fields, Stamp stamp) {
            this(key, fields, stamp, List.of());
        }
    }

    /** Records many writes in one bulk write (in order: a later write of the same object wins). */
    void writeAll(List<Write> writes) {
        List<com.mongodb.client.model.WriteModel<Document>> models = new ArrayList<>();
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        for (Write w : writes) {
            if (w.fields() == null) {
                models.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", w.key()),
                        Updates.combine(Updates.unset("fields"), Updates.set("erased", w.stamp().toDocument())), upsert));
            } else if (!w.fields().isEmpty()) {
                List<Bson> sets = new ArrayList<>();
                for (String field : w.fields()) {
                    sets.add(Updates.set("fields." + field, w.stamp().asDefault(w.defaults().contains(field)).toDocument()));
                }
                models.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", w.key()), Updates.combine(sets), upsert));
            }
        }
        if (!models.isEmpty()) {
            objects.bulkWrite(models, new com.mongodb.client.model.BulkWriteOptions().ordered(true));
        }
    }

    /** Records that {@code stamp} wrote these fields of the object. */
    void wrote(String key, Collection<String> fields, Stamp stamp) {
        if (fields.isEmpty()) {
            return;
        }
        List<Bson> sets = new ArrayList<>();
        for (String field : fields) {
            sets.add(Updates.set("fields." + field, stamp.toDocument()));
        }
        objects.updateOne(Filters.eq("_id", key), Updates.combine(sets), new UpdateOptions().upsert(true));
    }

    /** Records that {@code stamp} erased the object: its field stamps go, the erase stamp stays. */
    void erased(String key, Stamp stamp) {
        objects.updateOne(Filters.eq("_id", key), Updates.combine(Updates.unset("fields"), Updates.set("erased", stamp.toDocument())),
                new UpdateOptions().upsert(true));
    }
}
