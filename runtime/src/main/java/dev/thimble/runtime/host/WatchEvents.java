package dev.thimble.runtime.host;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.EventMatcher;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.changes.UpdateDescription;
import dev.thimble.runtime.rules.CollectionRules;
import dev.thimble.runtime.rules.ReadResult;
import dev.thimble.runtime.rules.RuleContext;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A change event as one watching client may see it (CLIENT-PROTOCOL §5–6), decided per event:
 *
 * <ol>
 *   <li>{@code ids}: only events whose {@code documentKey._id} is one of them;</li>
 *   <li>rules: the document (after the change; before it for a delete) must match the filters of
 *       the namespace's rules that apply to the caller and be visible to the caller's role, as for a
 *       {@code find}; {@code fullDocument} is cut down to the readable fields, and so are
 *       {@code updateDescription.updatedFields} (a path survives when it is in the readable document)
 *       and {@code removedFields} (a path survives when the role could read that field);
 *       {@code fullDocumentBeforeChange} is never sent to clients;</li>
 *   <li>{@code filter}: a {@code $match} over the resulting event;</li>
 *   <li>{@code useCompactEvents}: {@code {ot, dk, fd?, ud?}} instead of the full event (the full
 *       document for inserts and replacements, the update description for updates).</li>
 * </ol>
 */
final class WatchEvents {
    private static final DocumentCodec CODEC = new DocumentCodec();

    private WatchEvents() {
    }

    /** The watch arguments {@code {database, collection, ids?, filter?, useCompactEvents?}}. */
    record Request(String database, String collection, List<BsonValue> ids, EventMatcher filter, boolean compact) {

        /** @throws Failure naming the argument that is wrong */
        static Request parse(BsonDocument argument) {
            String database = name(argument, "database");
            String collection = name(argument, "collection");
            List<BsonValue> ids = null;
            BsonValue idsValue = argument.get("ids");
            if (idsValue != null && !idsValue.isNull()) {
                if (!idsValue.isArray()) {
                    throw new InvalidInput("InvalidParameter", "watch: \"ids\" must be an array of document ids");
                }
                ids = List.copyOf(idsValue.asArray().getValues());
            }
            EventMatcher filter = null;
            BsonValue filterValue = argument.get("filter");
            if (filterValue != null && !filterValue.isNull()) {
                if (!filterValue.isDocument()) {
                    throw new InvalidInput("InvalidParameter", "watch: \"filter\" must be a document ($match over the change event)");
                }
                try {
                    filter = EventMatcher.compile(filterValue.asDocument());
                } catch (IllegalArgumentException e) {
                    throw new InvalidInput("InvalidParameter", "watch: \"filter\" cannot be used: " + e.getMessage());
                }
            }
            BsonValue compactValue = argument.get("useCompactEvents");
            if (compactValue != null && !compactValue.isNull() && !compactValue.isBoolean()) {
                throw new InvalidInput("InvalidParameter", "watch: \"useCompactEvents\" must be true or false");
            }
            boolean compact = compactValue != null && compactValue.isBoolean() && compactValue.asBoolean().getValue();
            return new Request(database, collection, ids, filter, compact);
        }

        private static String name(BsonDocument argument, String field) {
            BsonValue value = argument.get(field);
            if (value == null) {
                throw new InvalidInput("MissingParameter", "watch: \"" + field + "\" is required: give"
                        + " {\"database\": \"<db>\", \"collection\": \"<coll>\"}");
            }
            if (!value.isString() || value.asString().getValue().isEmpty()) {
                throw new InvalidInput("InvalidParameter", "watch: \"" + field + "\" must be a non-empty string");
            }
            return value.asString().getValue();
        }
    }

    /**
     * The event as the caller receives it, or null when it is not for this caller.
     *
     * @param rules       the namespace's rules (not consulted for a system caller)
     * @param ruleFilters the namespace's filters for this caller as a matcher, or null for none
     */
    static BsonDocument forClient(ChangeEvent event, Request request, CollectionRules rules, EventMatcher ruleFilters,
                                  RuleContext ctx) {
        if (request.ids() != null && request.ids().stream().noneMatch(id -> EventMatcher.valuesEqual(id, event.documentId()))) {
            return null;
        }
        BsonDocument fullDocument = event.fullDocument();
        UpdateDescription description = event.updateDescription();
        if (!ctx.isSystem()) {
            BsonDocument subject = fullDocument != null ? fullDocument
                    : event.fullDocumentBeforeChange() != null ? event.fullDocumentBeforeChange() : event.documentKey();
            if (ruleFilters != null && !ruleFilters.matches(subject)) {
                return null;
            }
            ReadResult read = rules.applyRead(ctx, toDocument(subject));
            if (!read.visible()) {
                return null;
            }
            if (fullDocument != null) {
                fullDocument = toBson(read.document());
            }
            if (description != null) {
                description = readable(description, event.fullDocument(), fullDocument, rules, ctx);
            }
        }
        BsonDocument full = new BsonDocument("_id", event.id())
                .append("operationType", new BsonString(event.operationType().wireName()))
                .append("clusterTime", event.clusterTime())
                .append("wallTime", new BsonDateTime(event.wallTime().toEpochMilli()))
                .append("ns", new BsonDocument("db", new BsonString(event.ns().db())).append("coll", new BsonString(event.ns().coll())))
                .append("documentKey", event.documentKey());
        if (fullDocument != null) {
            full.append("fullDocument", fullDocument);
        }
        if (description != null) {
            full.append("updateDescription", description.toBsonDocument());
        }
        if (request.filter() != null && !request.filter().matches(full)) {
            return null;
        }
        if (!request.compact()) {
            return full;
        }
        BsonDocument compact = new BsonDocument("ot", new BsonString(event.operationType().wireName()))
                .append("dk", event.documentKey());
        if (fullDocument != null && (event.operationType() == OperationType.INSERT || event.operationType() == OperationType.REPLACE)) {
            compact.append("fd", fullDocument);
        }
        if (description != null) {
            compact.append("ud", description.toBsonDocument());
        }
        return compact;
    }

    /** The update description cut down to what the caller may read. */
    private static UpdateDescription readable(UpdateDescription description, BsonDocument after, BsonDocument readableAfter,
                                              CollectionRules rules, RuleContext ctx) {
        BsonDocument updated = new BsonDocument();
        for (Map.Entry<String, BsonValue> field : description.updatedFields().entrySet()) {
            BsonValue value = readableAfter == null ? null : resolve(readableAfter, field.getKey());
            if (value != null) {
                updated.put(field.getKey(), value);
            }
        }
        List<String> removed = new ArrayList<>();
        if (!description.removedFields().isEmpty() && after != null) {
            // Would the role read these fields had they stayed? Ask it with them put back as null.
            BsonDocument probe = mutableCopy(after);
            description.removedFields().forEach(path -> put(probe, path, BsonNull.VALUE));
            ReadResult read = rules.applyRead(ctx, toDocument(probe));
            if (read.visible()) {
                BsonDocument readableProbe = toBson(read.document());
                description.removedFields().stream().filter(path -> resolve(readableProbe, path) != null).forEach(removed::add);
            }
        }
        return new UpdateDescription(updated, removed, new BsonArray());
    }

    /** The value at a dotted path (numeric segments index arrays), or null when absent. */
    static BsonValue resolve(BsonDocument document, String path) {
        BsonValue current = document;
        for (String segment : path.split("\\.", -1)) {
            if (current.isDocument()) {
                current = current.asDocument().get(segment);
            } else if (current.isArray() && !segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(segment);
                current = index < current.asArray().size() ? current.asArray().get(index) : null;
            } else {
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** Sets a dotted path, creating documents on the way; a path through a non-document is left alone. */
    private static void put(BsonDocument document, String path, BsonValue value) {
        String[] segments = path.split("\\.", -1);
        BsonValue current = document;
        for (int i = 0; i < segments.length - 1; i++) {
            if (!current.isDocument()) {
                return;
            }
            BsonDocument parent = current.asDocument();
            BsonValue next = parent.get(segments[i]);
            if (next == null) {
                next = new BsonDocument();
                parent.put(segments[i], next);
            }
            current = next;
        }
        if (current.isDocument()) {
            current.asDocument().put(segments[segments.length - 1], value);
        }
    }

    private static BsonDocument mutableCopy(BsonDocument document) {
        return new BsonDocumentCodec().decode(new BsonDocumentReader(document), DecoderContext.builder().build());
    }

    static Document toDocument(BsonDocument bson) {
        return CODEC.decode(new BsonDocumentReader(bson), DecoderContext.builder().build());
    }

    static BsonDocument toBson(Document document) {
        BsonDocument out = new BsonDocument();
        CODEC.encode(new BsonDocumentWriter(out), document, EncoderContext.builder().build());
        return out;
    }
}
