package dev.thimble.runtime.changes;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an update changed: {@code updatedFields} (dotted path → new value), {@code removedFields}
 * (dotted paths) and {@code truncatedArrays} (always empty here: changed arrays are reported whole).
 */
public record UpdateDescription(BsonDocument updatedFields, List<String> removedFields, BsonArray truncatedArrays) {
    public UpdateDescription {
        Objects.requireNonNull(updatedFields, "updatedFields");
        removedFields = List.copyOf(removedFields);
        truncatedArrays = truncatedArrays == null ? new BsonArray() : truncatedArrays;
    }

    /**
     * The difference between a document before and after an update, as MongoDB reports it when
     * the update names the fields it sets: a field of an embedded document that changed is reported
     * by its dotted path ({@code "address.city"}), a new or retyped field and a changed array whole.
     * Fields compare by BSON type and value ({@code 1} and {@code 1.0} differ); the order of the
     * fields of a document does not count.
     */
    public static UpdateDescription diff(BsonDocument before, BsonDocument after) {
        BsonDocument updated = new BsonDocument();
        List<String> removed = new ArrayList<>();
        diff("", before, after, updated, removed);
        return new UpdateDescription(updated, removed, new BsonArray());
    }

    private static void diff(String prefix, BsonDocument before, BsonDocument after, BsonDocument updated, List<String> removed) {
        for (Map.Entry<String, BsonValue> field : after.entrySet()) {
            String path = prefix + field.getKey();
            BsonValue now = field.getValue();
            BsonValue was = before.get(field.getKey());
            if (was == null) {
                updated.put(path, now);
            } else if (!was.equals(now)) {
                if (was.isDocument() && now.isDocument() && !now.asDocument().isEmpty()) {
                    int sizeBefore = updated.size() + removed.size();
                    diff(path + ".", was.asDocument(), now.asDocument(), updated, removed);
                    if (updated.size() + removed.size() == sizeBefore) {
                        updated.put(path, now); // unequal but nothing found field by field: report it whole
                    }
                } else {
                    updated.put(path, now);
                }
            }
        }
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                removed.add(prefix + key);
            }
        }
    }

    public BsonDocument toBsonDocument() {
        BsonArray removed = new BsonArray();
        removedFields.forEach(path -> removed.add(new BsonString(path)));
        return new BsonDocument("updatedFields", updatedFields)
                .append("removedFields", removed)
                .append("truncatedArrays", truncatedArrays);
    }

    /** Reads {@code {updatedFields, removedFields, truncatedArrays?}}; missing parts are empty. */
    public static UpdateDescription fromBsonDocument(BsonDocument document) {
        BsonDocument updated = document.containsKey("updatedFields") ? document.getDocument("updatedFields") : new BsonDocument();
        List<String> removed = new ArrayList<>();
        if (document.containsKey("removedFields")) {
            document.getArray("removedFields").forEach(v -> removed.add(v.asString().getValue()));
        }
        BsonArray truncated = document.containsKey("truncatedArrays") ? document.getArray("truncatedArrays") : new BsonArray();
        return new UpdateDescription(updated, removed, truncated);
    }
}
