package dev.thimble.runtime.data;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.InvalidInput;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * The one argument document of a MongoDB service action ({@code {database, collection, ...}}),
 * read with the checks a client deserves: every wrong type becomes a 400 that names the action, the
 * field, what it must be and what it was. An absent field and an explicit {@code null} mean the same.
 */
final class ActionArguments {
    private final String action;
    private final BsonDocument raw;

    ActionArguments(String action, BsonDocument raw) {
        this.action = action;
        this.raw = raw == null ? new BsonDocument() : raw;
    }

    String action() {
        return action;
    }

    BsonDocument raw() {
        return raw;
    }

    String database() {
        return name("database");
    }

    String collection() {
        return name("collection");
    }

    private String name(String field) {
        BsonValue value = value(field);
        if (value == null) {
            throw invalid("MissingParameter", "\"" + field + "\" is required: give {\"database\": \"<db>\", \"collection\": \"<coll>\", ...}");
        }
        if (!value.isString() || value.asString().getValue().isEmpty()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be a non-empty string, got " + describe(value));
        }
        return value.asString().getValue();
    }

    boolean has(String field) {
        return value(field) != null;
    }

    /** The field, or null when absent or null. */
    BsonValue value(String field) {
        BsonValue value = raw.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A document field; an empty document when absent. */
    BsonDocument document(String field) {
        BsonDocument document = optionalDocument(field);
        return document == null ? new BsonDocument() : document;
    }

    /** A document field, or null when absent. */
    BsonDocument optionalDocument(String field) {
        BsonValue value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isDocument()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be a document (an object), got " + describe(value));
        }
        if (field.equals("query") || field.equals("filter")) {
            QueryOperators.unknownIn(value.asDocument()).ifPresent(where -> {
                throw invalid("MongoDBError", "\"" + field + "\" uses an unknown operator "
                        + where.substring(where.lastIndexOf('.') + 1) + " (at " + where + "); check its spelling against MongoDB's query operators");
            });
        }
        return value.asDocument();
    }

    /** A required document field. */
    BsonDocument requiredDocument(String field, String hint) {
        if (!has(field)) {
            throw invalid("MissingParameter", "\"" + field + "\" is required" + (hint == null ? "" : ": " + hint));
        }
        return optionalDocument(field);
    }

    /** A non-negative count ({@code limit}, {@code skip}); 0 when absent. A negative limit counts as its absolute value (as in MongoDB). */
    int count(String field) {
        BsonValue value = value(field);
        if (value == null) {
            return 0;
        }
        if (!value.isNumber() && !value.isDecimal128()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be a number, got " + describe(value));
        }
        double d = value.isDecimal128() ? value.asDecimal128().getValue().doubleValue() : value.asNumber().doubleValue();
        if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be a whole number up to " + Integer.MAX_VALUE + ", got " + describe(value));
        }
        int n = (int) Math.abs(d);
        if (d < 0 && field.equals("skip")) {
            throw invalid("InvalidParameter", "\"skip\" must not be negative, got " + describe(value));
        }
        return n;
    }

    boolean bool(String field) {
        BsonValue value = value(field);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be true or false, got " + describe(value));
        }
        return value.asBoolean().getValue();
    }

    String string(String field) {
        BsonValue value = value(field);
        if (value == null) {
            throw invalid("MissingParameter", "\"" + field + "\" is required");
        }
        if (!value.isString()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be a string, got " + describe(value));
        }
        return value.asString().getValue();
    }

    /** An array of documents; null when absent. */
    List<BsonDocument> documents(String field) {
        BsonValue value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be an array of documents, got " + describe(value));
        }
        BsonArray array = value.asArray();
        List<BsonDocument> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isDocument()) {
                throw invalid("InvalidParameter", "\"" + field + "[" + i + "]\" must be a document (an object), got " + describe(array.get(i)));
            }
            out.add(array.get(i).asDocument());
        }
        return out;
    }

    /**
     * The {@code update} of an update action: a non-empty document of update operators. A pipeline
     * (array) is refused: the embedded server cannot run pipeline-style updates, and they can compute
     * values the rules could not see coming.
     */
    BsonDocument updateOperators(String field) {
        BsonValue value = value(field);
        if (value == null) {
            throw invalid("MissingParameter", "\"" + field + "\" is required: give update operators such as {\"$set\": {...}}");
        }
        if (value.isArray()) {
            throw invalid("InvalidParameter", "\"" + field + "\" is an array: pipeline-style updates are not supported;"
                    + " use update operators such as {\"$set\": {...}}");
        }
        if (!value.isDocument()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be a document of update operators such as {\"$set\": {...}}, got " + describe(value));
        }
        BsonDocument update = value.asDocument();
        if (update.isEmpty()) {
            throw invalid("InvalidParameter", "\"" + field + "\" is empty: give update operators such as {\"$set\": {...}}");
        }
        for (String key : update.keySet()) {
            if (!key.startsWith("$")) {
                throw invalid("InvalidParameter", "\"" + field + "\" must contain only update operators (such as $set, $inc, $unset),"
                        + " but it has the field \"" + key + "\"; to replace a whole document use findOneAndReplace");
            }
        }
        return update;
    }

    /** The replacement document of findOneAndReplace: a plain document with no top-level operators. */
    BsonDocument replacement(String field) {
        BsonValue value = value(field);
        if (value == null) {
            throw invalid("MissingParameter", "\"" + field + "\" is required: give the replacement document");
        }
        if (!value.isDocument()) {
            throw invalid("InvalidParameter", "\"" + field + "\" must be the replacement document, got " + describe(value));
        }
        for (String key : value.asDocument().keySet()) {
            if (key.startsWith("$")) {
                throw invalid("InvalidParameter", "\"" + field + "\" is a replacement document and must not contain update operators"
                        + " (found \"" + key + "\"); to change fields use findOneAndUpdate");
            }
        }
        return value.asDocument();
    }

    /** The aggregation pipeline: an array of one-key stage documents. */
    List<BsonDocument> pipeline() {
        if (!has("pipeline")) {
            throw invalid("MissingParameter", "\"pipeline\" is required: give an array of stages such as [{\"$match\": {...}}]");
        }
        List<BsonDocument> stages = documents("pipeline");
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).size() != 1) {
                throw invalid("InvalidParameter", "\"pipeline[" + i + "]\" must be a stage with exactly one field such as {\"$match\": {...}}, got "
                        + stages.get(i).size() + " fields");
            }
        }
        return stages;
    }

    Failure invalid(String code, String message) {
        return new InvalidInput(code, action + ": " + message);
    }

    static String describe(BsonValue value) {
        String type = typeName(value.getBsonType());
        String shown = value.isDocument() || value.isArray() ? "" : " " + abbreviate(value);
        return type + shown;
    }

    private static String abbreviate(BsonValue value) {
        String text = value.isString() ? "\"" + value.asString().getValue() + "\""
                : new BsonDocument("v", value).toJson().replaceFirst("^\\{\"v\": ", "").replaceFirst("}$", "");
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    static String typeName(BsonType type) {
        return switch (type) {
            case DOCUMENT -> "a document";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case INT32, INT64, DOUBLE, DECIMAL128 -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT_ID -> "an ObjectId";
            case DATE_TIME -> "a date";
            case NULL -> "null";
            default -> "a " + type.name().toLowerCase();
        };
    }
}
