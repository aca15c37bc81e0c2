package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of the field grid: a field (dotted when nested) with its read and write expressions, each
 * null when unset (then the role's document-level permission or {@code additional_fields} decides).
 */
public record FieldRule(String path, JsonNode read, JsonNode write) {
}
