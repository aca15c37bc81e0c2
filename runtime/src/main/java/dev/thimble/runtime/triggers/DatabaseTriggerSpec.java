package dev.thimble.runtime.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.changes.ChangeEvent;
import dev.thimble.runtime.changes.ChangeFilter;
import dev.thimble.runtime.changes.EventMatcher;
import dev.thimble.runtime.changes.OperationType;
import dev.thimble.runtime.data.DocumentProjection;
import org.bson.BsonDocument;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A database trigger's configuration, read once per app version, and what it makes of a change
 * event: the operation types it wants, then the event as the function gets it ({@code fullDocument}
 * on an update only with {@code full_document}, never on a delete; {@code fullDocumentBeforeChange}
 * only with {@code full_document_before_change}), then {@code match} over that event, then {@code project}.
 */
record DatabaseTriggerSpec(String database, String collection, Set<OperationType> operationTypes, EventMatcher match,
                           DocumentProjection project, boolean fullDocument, boolean fullDocumentBeforeChange,
                           boolean unordered, boolean skipCatchupEvents, String errorHandler) {

    /** @throws IllegalArgumentException saying which field of {@code triggers/<name>.json} is wrong */
    static DatabaseTriggerSpec of(TriggerDef trigger) {
        Json config = trigger.config().obj("config");
        String where = "triggers/" + trigger.name() + ".json";
        Set<OperationType> types = EnumSet.noneOf(OperationType.class);
        JsonNode listed = config.get("operation_types");
        if (listed != null && listed.isArray()) {
            for (JsonNode type : listed) {
                OperationType known = OperationType.fromWireName(type.asText().toLowerCase(Locale.ROOT));
                if (known != null) {
                    types.add(known); // the later collection-level kinds are never produced here
                }
            }
        }
        EventMatcher match;
        DocumentProjection project;
        try {
            match = EventMatcher.compile(document(config, "match"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ", config.match: " + e.getMessage(), e);
        }
        try {
            project = DocumentProjection.of(document(config, "project"));
        } catch (DocumentProjection.Invalid | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ", config.project: " + e.getMessage(), e);
        }
        String database = config.text("database", "");
        String collection = config.text("collection", "");
        return new DatabaseTriggerSpec(database.isEmpty() ? null : database,
                database.isEmpty() || collection.isEmpty() ? null : collection, types, match, project,
                config.bool("full_document", false), config.bool("full_document_before_change", false),
                config.bool("unordered", false), config.bool("skip_catchup_events", false), errorHandler(trigger.config()));
    }

    ChangeFilter filter() {
        return new ChangeFilter(database, collection, null);
    }

    /** The event the function receives, or null when this trigger does not fire for it. */
    BsonDocument shape(ChangeEvent event) {
        if (!operationTypes.contains(event.operationType())) {
            return null;
        }
        BsonDocument shaped = event.toBsonDocument().clone();
        if (event.operationType() == OperationType.DELETE
                || event.operationType() == OperationType.UPDATE && !fullDocument) {
            shaped.remove("fullDocument");
        }
        if (!fullDocumentBeforeChange) {
            shaped.remove("fullDocumentBeforeChange");
        }
        if (!match.matches(shaped)) {
            return null;
        }
        return project == null ? shaped : project.apply(shaped);
    }

    /**
     * The error handler's function: {@code error_handler.config.function_name} (also under
     * {@code action}, the App Services form), or empty.
     */
    private static String errorHandler(Json trigger) {
        JsonNode handler = trigger.get("error_handler");
        if (handler == null || !handler.isObject()) {
            return "";
        }
        for (JsonNode candidate : new JsonNode[]{handler.path("config").path("function_name"),
                handler.path("action").path("config").path("function_name"), handler.path("function_name")}) {
            if (candidate.isTextual() && !candidate.asText().isEmpty()) {
                return candidate.asText();
            }
        }
        return "";
    }

    private static BsonDocument document(Json config, String field) {
        JsonNode node = config.get(field);
        if (node == null || node.isNull()) {
            return new BsonDocument();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        return BsonDocument.parse(node.toString());
    }
}
