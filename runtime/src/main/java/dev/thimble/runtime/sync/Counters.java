package dev.thimble.runtime.sync;

import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.bson.Document;

import java.util.List;

/**
 * realm-core's rule for a counter's increment ({@code AddInteger}) against a set ({@code Update}) of the same
 * field that its writer had not seen ({@code transform.cpp}, AddInteger vs Update): the increment survives when
 * the set is a default value of a new object ({@code is_default}), or when it is the later of the two by
 * (timestamp, file identity) — then it is added to the set's value; otherwise it is dropped. Concurrent
 * increments all count; an erase of the object drops them (its nested rule).
 *
 * <p>The server keeps every increment it applied as a record beside the recorded list edits ({@code
 * sync_list_ops}, with an {@code inc} instead of {@code ops}): a later upload of a set it is concurrent with
 * gains it here, and clients receive it as an {@code AddInteger} with its writer's timestamp, so a client's own
 * unsynced set is merged with it by the same rule (decision record "sync counters").
 */
final class Counters {
    private Counters() {
    }

    /** An increment the server applied: its writer's stamp (timestamp, file, server version) and amount. */
    record Increment(SyncStamps.Stamp stamp, long delta) {
        static Increment of(Document record) {
            return new Increment(new SyncStamps.Stamp(record.get("ts", Number.class).longValue(), record.get("o", Number.class).longValue(),
                    record.get("v", Number.class).longValue()), record.get("inc", Number.class).longValue());
        }
    }

    /** Whether an increment survives a concurrent set: the set is a default value, or the increment is later. */
    static boolean survives(SyncStamps.Stamp increment, SyncStamps.Stamp set) {
        return set.dflt() || increment.after(set);
    }

    /** What a set gains from the concurrent increments it is merged past: the sum of those that survive it. */
    static long gained(SyncStamps.Stamp set, List<Increment> concurrent) {
        long sum = 0;
        for (Increment i : concurrent) {
            if (survives(i.stamp(), set)) {
                sum += i.delta();
            }
        }
        return sum;
    }

    /** A set's value with {@code delta} added, as realm-core adds it (wrapping); a null set stays null. */
    static BsonValue plus(BsonValue set, long delta) {
        if (delta == 0 || set == null || !set.isNumber()) {
            return set;
        }
        return new BsonInt64(set.asNumber().longValue() + delta);
    }

    /**
     * Whether an increment changes a stored value: a null absorbs it (realm-core's applier does nothing). Such an
     * increment is still recorded, because realm-core's transform adds it to a concurrent earlier set that the server
     * integrates after it: the null it met is replaced by that set, which then counts it. An absent field ({@code
     * stored} null) is a null to clients that hold null for it ({@code absentIsNull}: they declare the property
     * nullable), and the type's zero to the others, for which MongoDB's {@code $inc} creates it with the amount.
     */
    static boolean changes(BsonValue stored, boolean absentIsNull) {
        return stored == null ? !absentIsNull : !stored.isNull();
    }

    /** The record of an applied increment, kept with the recorded list edits of the object. */
    static Document record(String key, String field, long version, SyncStamps.Stamp stamp, long delta) {
        return new Document("key", key).append("field", field).append("v", version).append("ts", stamp.timestamp())
                .append("o", stamp.origin()).append("inc", delta);
    }

    /** Whether a recorded edit is an increment (not a list's element edits). */
    static boolean isIncrement(Document record) {
        return record.containsKey("inc");
    }

    /** Whether a field takes increments: a top-level integer property (not a collection or a link). */
    static boolean counterField(SyncSchema.SyncClass c, String field) {
        String type = c.fieldTypes().get(field);
        return ("long".equals(type) || "int".equals(type)) && c.collectionOf(field) == null && c.linkTarget(field) == null;
    }
}
