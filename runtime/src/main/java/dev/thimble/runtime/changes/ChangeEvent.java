package dev.thimble.runtime.changes;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

import java.time.Instant;
import java.util.Objects;

/**
 * One change to one document, in MongoDB's change-event shape (see {@link #toBsonDocument()}).
 *
 * <p>{@code fullDocument} is present for inserts and replacements, and for updates it is the
 * document after the update (the post-image). {@code fullDocumentBeforeChange} is the document
 * before an update, replacement or delete (always on the embedded database; on a real deployment
 * only where the collection records pre-images). {@code updateDescription} is present for updates
 * only. Events are shared between subscribers: treat their documents as read-only.
 *
 * @param id          the resume token, {@code {_data: "<hex>"}}
 * @param documentKey {@code {_id: <id>}}
 * @param wallTime    when the change was made; on MongoDB before 6.0 the cluster time's second
 */
public record ChangeEvent(BsonDocument id, OperationType operationType, Namespace ns, BsonDocument documentKey,
                          BsonDocument fullDocument, BsonDocument fullDocumentBeforeChange,
                          UpdateDescription updateDescription, BsonTimestamp clusterTime, Instant wallTime) {
    public ChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operationType, "operationType");
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(documentKey, "documentKey");
        Objects.requireNonNull(clusterTime, "clusterTime");
        Objects.requireNonNull(wallTime, "wallTime");
    }

    /** The changed document's {@code _id}. */
    public BsonValue documentId() {
        return documentKey.get("_id");
    }

    /** The resume token's {@code _data} string. */
    public String resumeData() {
        BsonValue data = id.get("_data");
        return data != null && data.isString() ? data.asString().getValue() : id.toJson();
    }

    /**
     * The event as MongoDB delivers it: {@code _id, operationType, clusterTime, wallTime, ns,
     * documentKey}, then {@code fullDocument}, {@code fullDocumentBeforeChange} and
     * {@code updateDescription} where present.
     */
    public BsonDocument toBsonDocument() {
        BsonDocument out = new BsonDocument("_id", id)
                .append("operationType", new BsonString(operationType.wireName()))
                .append("clusterTime", clusterTime)
                .append("wallTime", new BsonDateTime(wallTime.toEpochMilli()))
                .append("ns", new BsonDocument("db", new BsonString(ns.db())).append("coll", new BsonString(ns.coll())))
                .append("documentKey", documentKey);
        if (fullDocument != null) {
            out.append("fullDocument", fullDocument);
        }
        if (fullDocumentBeforeChange != null) {
            out.append("fullDocumentBeforeChange", fullDocumentBeforeChange);
        }
        if (updateDescription != null) {
            out.append("updateDescription", updateDescription.toBsonDocument());
        }
        return out;
    }

    /**
     * Reads an event in MongoDB's shape (as {@link #toBsonDocument()} writes it, or as a change
     * stream delivers it).
     *
     * @return null for operation types this source does not carry (drop, rename, invalidate…)
     * @throws IllegalArgumentException if a required field is missing or mistyped
     */
    public static ChangeEvent fromBsonDocument(BsonDocument event) {
        try {
            OperationType type = OperationType.fromWireName(event.getString("operationType").getValue());
            if (type == null) {
                return null;
            }
            BsonDocument ns = event.getDocument("ns");
            BsonTimestamp clusterTime = event.getTimestamp("clusterTime");
            Instant wallTime = event.containsKey("wallTime") && event.get("wallTime").isDateTime()
                    ? Instant.ofEpochMilli(event.getDateTime("wallTime").getValue())
                    : Instant.ofEpochSecond(clusterTime.getTime());
            return new ChangeEvent(event.getDocument("_id"), type,
                    new Namespace(ns.getString("db").getValue(), ns.getString("coll").getValue()),
                    event.getDocument("documentKey"),
                    document(event, "fullDocument"), document(event, "fullDocumentBeforeChange"),
                    event.containsKey("updateDescription") && event.get("updateDescription").isDocument()
                            ? UpdateDescription.fromBsonDocument(event.getDocument("updateDescription")) : null,
                    clusterTime, wallTime);
        } catch (org.bson.BsonInvalidOperationException | NullPointerException e) {
            throw new IllegalArgumentException("not a change event: " + e.getMessage(), e);
        }
    }

    /** A document field; null when missing or null (a change stream reports a deleted post-image as null). */
    private static BsonDocument document(BsonDocument event, String field) {
        BsonValue value = event.get(field);
        return value != null && value.isDocument() ? value.asDocument() : null;
    }
}
