package dev.thimble.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Masks an app's secret values in what a debug run answers: code run through the admin API can read
 * a secret (a value linked to it, {@code context.values.get}), but no admin response carries one, as
 * the app's log never does. Every string of the answer (object keys included) has each known value
 * replaced by {@value #MASK}, longest first.
 */
final class SecretMask {
    static final String MASK = "****";
    private final List<String> secrets;

    SecretMask(Collection<String> values) {
        this.secrets = values.stream().filter(Objects::nonNull).filter(v -> !v.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    String text(String text) {
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** A copy of {@code node} with every string masked. */
    JsonNode json(JsonNode node) {
        if (secrets.isEmpty() || node == null) {
            return node;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(text(node.asText()));
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = AdminCall.JSON.createArrayNode();
            array.forEach(item -> out.add(json(item)));
            return out;
        }
        if (node instanceof ObjectNode object) {
            ObjectNode out = AdminCall.JSON.createObjectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            fields.forEach(f -> out.set(text(f.getKey()), json(f.getValue())));
            return out;
        }
        return node;
    }
}
