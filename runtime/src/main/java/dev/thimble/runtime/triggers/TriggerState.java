package dev.thimble.runtime.triggers;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * What the app's state database ({@code trigger_state}) knows of each trigger, one document per
 * trigger name: the lease ({@code holder}, {@code lease_expires}), the position of a database trigger
 * (the resume token of the last handled event), the last run of a scheduled trigger, and whether it
 * is suspended or was seen disabled. Writes of a position or a run are fenced by the lease: they
 * succeed only while this node holds it, so a node that lost its lease cannot move a trigger back.
 */
final class TriggerState {
    static final String COLLECTION = "trigger_state";

    private final MongoCollection<Document> states;
    private final String node;
    private final Duration lease;
    /** Triggers whose document is known to exist, so a renewal is one write, not an insert attempt as well. */
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

    TriggerState(MongoCollection<Document> states, String node, Duration lease) {
        this.states = states;
        this.node = node;
        this.lease = lease;
    }

    String node() {
        return node;
    }

    /** Takes or renews the lease of {@code name}: true when this node holds it until {@code now + lease}. */
    boolean acquire(String name, Instant now) {
        if (!known.contains(name)) {
            try {
                states.insertOne(new Document("_id", name).append("holder", null).append("lease_expires", new Date(0)));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            known.add(name);
        }
        Bson free = Filters.or(Filters.eq("holder", node), Filters.eq("holder", null),
                Filters.lt("lease_expires", Date.from(now)));
        return states.updateOne(Filters.and(Filters.eq("_id", name), free),
                Updates.combine(Updates.set("holder", node), Updates.set("lease_expires", Date.from(now.plus(lease)))))
                .getMatchedCount() == 1;
    }

    /** Gives the lease up at once (a clean stop), if this node holds it. */
    void release(String name) {
        states.updateOne(held(name), Updates.combine(Updates.set("holder", null), Updates.set("lease_expires", new Date(0))));
    }

    /** Stores the resume token of the last handled event; false when this node no longer holds the lease. */
    boolean savePosition(String name, BsonDocument token) {
        return states.updateOne(held(name), Updates.set("position", token)).getMatchedCount() == 1;
    }

    /** Stores when a scheduled trigger last ran (the occurrence's time); false without the lease. */
    boolean saveLastRun(String name, Instant occurrence) {
        return states.updateOne(held(name), Updates.set("last_run", Date.from(occurrence))).getMatchedCount() == 1;
    }

    /** The stored document of a trigger, or an empty one. */
    Document read(String name) {
        Document found = states.find(Filters.eq("_id", name)).first();
        return found == null ? new Document("_id", name) : found;
    }

    BsonDocument position(String name) {
        Object position = read(name).get("position");
        return position instanceof Document d ? d.toBsonDocument() : null;
    }

    Instant lastRun(String name) {
        Object lastRun = read(name).get("last_run");
        return lastRun instanceof Date d ? d.toInstant() : null;
    }

    void suspend(String name, String reason) {
        states.updateOne(Filters.eq("_id", name), Updates.combine(Updates.set("suspended", true),
                Updates.set("suspended_reason", reason)), new UpdateOptions().upsert(true));
    }

    /** Clears a suspension and notes the manual resume (see {@link #takeResumedMark}). */
    void clearSuspended(String name) {
        states.updateOne(Filters.eq("_id", name), Updates.combine(Updates.set("suspended", false),
                Updates.unset("suspended_reason"), Updates.set("resumed", true)));
    }

    /** Forgets the stored position: the trigger's next start listens from now on (a resume without its token). */
    void clearPosition(String name) {
        states.updateOne(Filters.eq("_id", name), Updates.unset("position"));
    }

    /** True (and cleared) when the trigger was resumed by hand since it last started. */
    boolean takeResumedMark(String name) {
        return states.updateOne(Filters.and(Filters.eq("_id", name), Filters.eq("resumed", true)),
                Updates.set("resumed", false)).getModifiedCount() == 1;
    }

    boolean suspended(String name) {
        return Boolean.TRUE.equals(read(name).get("suspended"));
    }

    /** Notes that the app has the trigger disabled, so enabling it later can skip what happened meanwhile. */
    void markDisabled(String name) {
        states.updateOne(Filters.eq("_id", name), Updates.set("disabled", true), new UpdateOptions().upsert(true));
    }

    /** True (and cleared) when the trigger had been seen disabled since it last ran. */
    boolean takeDisabledMark(String name) {
        return states.updateOne(Filters.and(Filters.eq("_id", name), Filters.eq("disabled", true)),
                Updates.set("disabled", false)).getModifiedCount() == 1;
    }

    private Bson held(String name) {
        return Filters.and(Filters.eq("_id", name), Filters.eq("holder", node));
    }
}
