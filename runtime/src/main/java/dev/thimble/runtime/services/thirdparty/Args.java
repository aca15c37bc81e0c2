package dev.thimble.runtime.services.thirdparty;

import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument document of one service call, read with errors that name the service, the action and
 * the argument, and say what to pass instead.
 */
final class Args {
    private final String where;
    private final String prefix;
    private final BsonDocument doc;

    Args(String where, BsonDocument doc) {
        this(where, "", doc);
    }

    private Args(String where, String prefix, BsonDocument doc) {
        this.where = where;
        this.prefix = prefix;
        this.doc = doc == null ? new BsonDocument() : doc;
    }

    static Args of(ConfiguredService service, ServiceRequest request) {
        return new Args(Where.of(service, request.action()), request.arguments());
    }

    /** A nested document read with the same kind of errors, its argument names given by path ({@code Message.Subject.Data}). */
    Args nested(String name) {
        return new Args(where, prefix + name + ".", document(name));
    }

    String where() {
        return where;
    }

    BsonDocument raw() {
        return doc;
    }

    boolean has(String name) {
        BsonValue value = doc.get(name);
        return value != null && !value.isNull();
    }

    /** A string argument that must be present and non-empty. */
    String text(String name) {
        String value = optionalText(name);
        if (value == null || value.isEmpty()) {
            throw error("the argument \"" + prefix + name + "\" is missing; pass it as a non-empty string");
        }
        return value;
    }

    /** A string argument, or null when absent. */
    String optionalText(String name) {
        BsonValue value = doc.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw error("the argument \"" + prefix + name + "\" must be a string, not " + typeName(value));
        }
        return value.asString().getValue();
    }

    /** A string or {@code BSON.Binary} argument as bytes (a string as UTF-8); null when absent. */
    byte[] optionalBytes(String name) {
        BsonValue value = doc.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.asString().getValue().getBytes(StandardCharsets.UTF_8);
        }
        if (value.isBinary()) {
            return value.asBinary().getData();
        }
        throw error("the argument \"" + prefix + name + "\" must be a string or a BSON.Binary, not " + typeName(value));
    }

    byte[] bytes(String name) {
        byte[] value = optionalBytes(name);
        if (value == null) {
            throw error("the argument \"" + prefix + name + "\" is missing; pass a string or a BSON.Binary");
        }
        return value;
    }

    /** A nested document argument; empty when absent. */
    BsonDocument document(String name) {
        BsonValue value = doc.get(name);
        if (value == null || value.isNull()) {
            return new BsonDocument();
        }
        if (!value.isDocument()) {
            throw error("the argument \"" + prefix + name + "\" must be an object, not " + typeName(value));
        }
        return value.asDocument();
    }

    /** One string or an array of strings; empty when absent. */
    List<String> texts(String name) {
        BsonValue value = doc.get(name);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isString()) {
            out.add(value.asString().getValue());
            return out;
        }
        if (!value.isArray()) {
            throw error("the argument \"" + prefix + name + "\" must be a string or an array of strings, not " + typeName(value));
        }
        BsonArray array = value.asArray();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isString()) {
                throw error("the argument \"" + prefix + name + "\" must hold only strings, but item " + i + " is " + typeName(array.get(i)));
            }
            out.add(array.get(i).asString().getValue());
        }
        return out;
    }

    Boolean optionalBool(String name) {
        BsonValue value = doc.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw error("the argument \"" + prefix + name + "\" must be true or false, not " + typeName(value));
        }
        return value.asBoolean().getValue();
    }

    Long optionalLong(String name) {
        BsonValue value = doc.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isInt32() || value.isInt64()) {
            return value.asNumber().longValue();
        }
        if (value.isDouble() && value.asDouble().getValue() == Math.rint(value.asDouble().getValue())) {
            return (long) value.asDouble().getValue();
        }
        throw error("the argument \"" + prefix + name + "\" must be a whole number, not " + typeName(value));
    }

    /** An error about this call; {@code problem} names arguments by their full path. */
    ServiceCallException error(String problem) {
        return new ServiceCallException(where + ": " + problem);
    }

    static String typeName(BsonValue value) {
        return switch (value.getBsonType()) {
            case DOCUMENT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case INT32, INT64, DOUBLE, DECIMAL128 -> "a number";
            case BINARY -> "a BSON.Binary";
            case DATE_TIME -> "a date";
            case OBJECT_ID -> "an ObjectId";
            default -> value.getBsonType().name().toLowerCase();
        };
    }
}
