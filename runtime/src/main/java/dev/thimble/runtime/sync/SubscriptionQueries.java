package dev.thimble.runtime.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A flexible-sync client's subscription query as its {@code ident} and {@code query} messages carry it: a JSON object
 * with one RQL string per class (the class's subscriptions joined with OR), parsed against the app's sync schema.
 */
final class SubscriptionQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SubscriptionQueries() {
    }

    /**
     * The parsed query of each class, in the message's order.
     *
     * @param skipUnknown leave out classes the schema does not have (a query recorded earlier, judged under today's
     *                    schema); otherwise such a class is a query error
     * @throws Rql.QueryException for a class not in the schema or a query the schema does not allow
     * @throws IOException        when the text is not JSON
     */
    static Map<String, Rql.Query> parse(SyncSchema schema, String queryJson, boolean skipUnknown) throws IOException {
        Map<String, Rql.Query> parsed = new LinkedHashMap<>();
        JsonNode json = queryJson.isBlank() ? JSON.createObjectNode() : JSON.readTree(queryJson);
        var names = json.fieldNames();
        while (names.hasNext()) {
            String table = names.next();
            if (!schema.classes().containsKey(table)) {
                if (skipUnknown) {
                    continue;
                }
                throw new Rql.QueryException("Class \"" + table + "\" is not in this app's sync schema");
            }
            parsed.put(table, Rql.parse(json.get(table).asText(), schema.queryableFields()));
        }
        return parsed;
    }
}
