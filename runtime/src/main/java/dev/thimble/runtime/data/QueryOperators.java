package dev.thimble.runtime.data;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Optional;
import java.util.Set;

/**
 * Finds a {@code $}-operator a MongoDB query does not have, so a typo such as {@code $frob} is an
 * error naming it (as a real MongoDB answers "unknown operator") instead of a query that silently
 * matches nothing, which is what the embedded server does.
 */
final class QueryOperators {
    /** Operators that combine or wrap whole queries at the top level of a query document. */
    private static final Set<String> TOP_LEVEL = Set.of("$and", "$or", "$nor", "$expr", "$where", "$jsonSchema",
            "$comment", "$text", "$sampleRate");
    /** Operators on a field: {@code {field: {$op: ...}}}. */
    private static final Set<String> FIELD = Set.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin",
            "$exists", "$type", "$mod", "$regex", "$options", "$all", "$elemMatch", "$size", "$not",
            "$bitsAllClear", "$bitsAllSet", "$bitsAnyClear", "$bitsAnySet", "$geoIntersects", "$geoWithin",
            "$near", "$nearSphere", "$geometry", "$maxDistance", "$minDistance", "$center", "$centerSphere",
            "$box", "$polygon", "$uniqueDocs");

    private QueryOperators() {
    }

    /** The first unknown operator in a query, with where it is (e.g. {@code text.$frob}). */
    static Optional<String> unknownIn(BsonDocument query) {
        return query(query, "");
    }

    private static Optional<String> query(BsonDocument query, String path) {
        for (var entry : query.entrySet()) {
            String key = entry.getKey();
            BsonValue value = entry.getValue();
            if (key.startsWith("$")) {
                if (!TOP_LEVEL.contains(key)) {
                    return Optional.of(path + key);
                }
                if ((key.equals("$and") || key.equals("$or") || key.equals("$nor")) && value.isArray()) {
                    for (BsonValue part : value.asArray()) {
                        if (part.isDocument()) {
                            Optional<String> found = query(part.asDocument(), path + key + ".");
                            if (found.isPresent()) {
                                return found;
                            }
                        }
                    }
                }
            } else if (value.isDocument() && isOperatorDocument(value.asDocument())) {
                Optional<String> found = fieldOperators(value.asDocument(), path + key + ".");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fieldOperators(BsonDocument operators, String path) {
        for (var entry : operators.entrySet()) {
            String key = entry.getKey();
            if (!FIELD.contains(key)) {
                return Optional.of(path + key);
            }
            BsonValue value = entry.getValue();
            if (key.equals("$not") && value.isDocument()) {
                Optional<String> found = fieldOperators(value.asDocument(), path + key + ".");
                if (found.isPresent()) {
                    return found;
                }
            }
            if (key.equals("$elemMatch") && value.isDocument()) {
                BsonDocument inner = value.asDocument();
                Optional<String> found = isOperatorDocument(inner) ? fieldOperators(inner, path + key + ".") : query(inner, path + key + ".");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isOperatorDocument(BsonDocument document) {
        return !document.isEmpty() && document.getFirstKey().startsWith("$");
    }
}
