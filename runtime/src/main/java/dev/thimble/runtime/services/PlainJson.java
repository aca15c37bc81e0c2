package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * BSON as the plain JSON an endpoint with {@code return_type: "JSON"} answers: ObjectIds as hex strings,
 * dates as ISO-8601 strings, every number a JSON number, decimals as strings, binaries as base64.
 */
final class PlainJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private PlainJson() {
    }

    /** Canonical Extended JSON of any value (the EJSON return type). */
    static String ejson(BsonValue value) {
        String json = new BsonDocument("v", value).toJson(CANONICAL);
        return json.substring(json.indexOf(':') + 1, json.lastIndexOf('}')).strip();
    }

    static String json(BsonValue value) {
        try {
            JsonNode relaxed = MAPPER.readTree(new BsonDocument("v", value).toJson(RELAXED)).get("v");
            return MAPPER.writeValueAsString(simplify(relaxed));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode simplify(JsonNode node) {
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.forEach(n -> out.add(simplify(n)));
            return out;
        }
        if (node.isDouble() && node.doubleValue() == Math.rint(node.doubleValue()) && Math.abs(node.doubleValue()) <= 9007199254740992d) {
            return JsonNodeFactory.instance.numberNode((long) node.doubleValue()); // a JS integer past int32 is a double in BSON
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        if (object.size() == 1) {
            Map.Entry<String, JsonNode> only = object.properties().iterator().next();
            JsonNode v = only.getValue();
            switch (only.getKey()) {
                case "$oid", "$symbol", "$numberDecimal" -> { return v; }
                case "$numberLong" -> { return JsonNodeFactory.instance.numberNode(Long.parseLong(v.asText())); }
                case "$numberDouble" -> { return JsonNodeFactory.instance.textNode(v.asText()); }
                case "$date" -> {
                    if (v.isObject() && v.has("$numberLong")) {
                        return JsonNodeFactory.instance.textNode(Instant.ofEpochMilli(Long.parseLong(v.get("$numberLong").asText())).toString());
                    }
                    return v;
                }
                case "$binary" -> { return v.isObject() ? v.get("base64") : v; }
                case "$uuid" -> { return v; }
                default -> { }
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        object.properties().forEach(e -> out.set(e.getKey(), simplify(e.getValue())));
        return out;
    }
}
