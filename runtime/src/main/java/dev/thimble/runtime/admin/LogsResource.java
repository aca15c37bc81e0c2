package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.ApiError;
import dev.thimble.runtime.logs.LogPage;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.thimble.runtime.admin.AdminRoutes.Access.APP;

/**
 * An app's log records with the document's filters ({@code type}, {@code user_id}, {@code co_id},
 * {@code errors_only}, {@code start_date}, {@code end_date}) and paging ({@code skip}, {@code limit};
 * {@code nextEndDate} and {@code nextSkip} continue where a page stopped). Secret values are masked
 * in the stored records already.
 */
final class LogsResource {
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    private LogsResource() {
    }

    static void register(AdminRoutes routes, AdminContext context) {
        routes.get("/groups/{groupId}/apps/{appId}/logs", APP, call -> {
            LogQuery query = query(call);
            LogPage page = call.app().editor().logs().query(query);
            ObjectNode out = AdminCall.JSON.createObjectNode();
            ArrayNode logs = out.putArray("logs");
            for (LogRecord record : page.records()) {
                logs.add(wire(record));
            }
            // the document requires both; on the last page they point past its oldest record, where the next query finds nothing
            Instant nextEnd = page.nextEndDate();
            int nextSkip = page.nextSkip();
            if (nextEnd == null) {
                List<LogRecord> records = page.records();
                if (records.isEmpty()) {
                    nextEnd = query.endDate() != null ? query.endDate() : Instant.now();
                    nextSkip = 0;
                } else {
                    nextEnd = records.getLast().started();
                    nextSkip = (int) records.stream().filter(r -> r.started().equals(records.getLast().started())).count()
                            + (query.endDate() != null && query.endDate().equals(records.getLast().started()) ? query.skip() : 0);
                }
            }
            out.put("nextEndDate", nextEnd.toString());
            out.put("nextSkip", nextSkip);
            call.ok(out);
        });
    }

    private static LogQuery query(AdminCall call) {
        LogQuery query = LogQuery.all();
        String type = call.query("type");
        if (type != null && !type.isBlank()) {
            List<LogType> types = new ArrayList<>();
            for (String t : type.split(",")) {
                try {
                    types.add(LogType.valueOf(t.strip()));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("InvalidRequest", "\"type\" " + t + " is not a log type; use e.g. FUNCTION, AUTH, SERVICE_FUNCTION.");
                }
            }
            query = query.withTypes(types.toArray(LogType[]::new));
        }
        if (call.query("user_id") != null) {
            query = query.withUserId(call.query("user_id"));
        }
        if (call.query("co_id") != null) {
            query = query.withCoId(call.query("co_id"));
        }
        if (call.flag("errors_only")) {
            query = query.errorsOnly();
        }
        if (call.query("start_date") != null) {
            query = query.withStartDate(date(call, "start_date"));
        }
        if (call.query("end_date") != null) {
            query = query.withEndDate(date(call, "end_date"));
        }
        query = query.withSkip(number(call, "skip", 0, Integer.MAX_VALUE));
        query = query.withLimit(number(call, "limit", 1, 100, 100));
        return query;
    }

    private static Instant date(AdminCall call, String name) {
        try {
            return Instant.parse(call.query(name));
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("InvalidRequest", "\"" + name + "\" is an ISO 8601 time such as 2026-01-31T12:00:00Z, not " + call.query(name) + ".");
        }
    }

    private static int number(AdminCall call, String name, int min, int max) {
        return number(call, name, min, max, min);
    }

    private static int number(AdminCall call, String name, int min, int max, int fallback) {
        String text = call.query(name);
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("InvalidRequest", "\"" + name + "\" is a whole number from " + min + " to " + max + ", not " + text + ".");
        }
    }

    /** A record as the admin API shows it: ids as strings, times as ISO 8601. */
    static ObjectNode wire(LogRecord record) throws IOException {
        BsonDocument doc = record.toDocument();
        ObjectNode out = AdminCall.JSON.createObjectNode();
        for (Map.Entry<String, BsonValue> field : doc.entrySet()) {
            BsonValue value = field.getValue();
            if (field.getKey().equals("status") && value.isString()) {
                // the document's logs carry an HTTP-like status number, the store "success" or "error"
                out.put("status", value.asString().getValue().equals("success") ? 200 : 400);
            } else if (value.isObjectId()) {
                out.put(field.getKey(), value.asObjectId().getValue().toHexString());
            } else if (value instanceof BsonDateTime time) {
                out.put(field.getKey(), Instant.ofEpochMilli(time.getValue()).toString());
            } else {
                BsonDocument wrapper = new BsonDocument("v", value);
                JsonNode parsed = AdminCall.JSON.readTree(wrapper.toJson(RELAXED)).get("v");
                out.set(field.getKey(), parsed);
            }
        }
        return out;
    }
}
