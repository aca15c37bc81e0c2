package dev.thimble.ruledesigner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/** How the designer's text cells turn into JSON values and back. */
public final class JsonValues {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Pretty-printed the way the bundle files are ({@code "key": value}, two spaces, {@code {}} for empty). */
    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY = MAPPER.writer(
            new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                    .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)
                            .withObjectEmptySeparator("").withArrayEmptySeparator(""))
                    .withArrayIndenter(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    private JsonValues() {
    }

    /** A permission cell: "" is unset (null); otherwise JSON ({@code true}, {@code {"owner_id": "%%user.id"}}). @throws DesignException for text that is not JSON */
    public static JsonNode permission(String where, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DesignException(where, "\"" + text + "\" is not JSON; write true, false or an expression like {\"owner_id\": \"%%user.id\"}");
        }
    }

    private static final java.util.regex.Pattern CALL = java.util.regex.Pattern.compile("%function\\s+([A-Za-z_$][\\w$]*)\\s*\\((.*)\\)\\s*", java.util.regex.Pattern.DOTALL);

    /**
     * A comparison value cell: {@code %function name(arg, …)} for a function call (each argument read
     * like a cell), JSON when it parses ({@code 3}, {@code true}, {@code ["a"]}), otherwise the text as
     * a string ({@code %%user.id}, {@code nurse}).
     */
    public static JsonNode value(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return TextNode.valueOf("");
        }
        java.util.regex.Matcher call = CALL.matcher(t);
        if (call.matches()) {
            java.util.List<JsonNode> args = new java.util.ArrayList<>();
            for (String arg : splitArguments(call.group(2))) {
                args.add(value(arg));
            }
            return new Expression.FunctionCall(call.group(1), args).toJson();
        }
        try {
            JsonNode n = MAPPER.readTree(t);
            return n == null ? TextNode.valueOf(t) : n;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(t);
        }
    }

    /** The cell text of a value: strings bare, function calls as {@code %function name(args)}, everything else as JSON. */
    public static String text(JsonNode value) {
        if (value == null) {
            return "";
        }
        Expression.FunctionCall call = Expression.FunctionCall.of(value);
        if (call != null) {
            String shown = "%function " + call.name() + "(" + String.join(", ", call.arguments().stream().map(JsonValues::text).toList()) + ")";
            if (value(shown).equals(value)) {
                return shown;
            }
        }
        if (value.isTextual()) {
            // a string that would read back as something else ("true", "3") is shown quoted
            return value(value.asText()).equals(value) ? value.asText() : value.toString();
        }
        return value.toString();
    }

    /** Splits {@code a, [1, 2], {"k": "v,w"}} at the commas outside brackets and strings. */
    private static java.util.List<String> splitArguments(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if (c == ']' || c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(text.substring(start).trim());
        return out;
    }

    /** Pretty JSON for text areas. */
    public static String pretty(JsonNode value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON text area. @throws DesignException naming {@code where} */
    public static JsonNode parse(String where, String text) {
        try {
            JsonNode n = MAPPER.readTree(text == null ? "" : text);
            if (n == null) {
                throw new DesignException(where, "empty; write JSON");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new DesignException(where, "not valid JSON: " + e.getOriginalMessage());
        }
    }
}
