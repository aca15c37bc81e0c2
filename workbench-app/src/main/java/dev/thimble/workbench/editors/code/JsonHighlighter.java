package dev.thimble.workbench.editors.code;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Colours JSON: keys, strings, numbers, true/false/null and brackets. */
public final class JsonHighlighter extends Highlighter {
    private static final Map<String, String> STYLES = new LinkedHashMap<>();

    static {
        STYLES.put("KEY", "json-key");
        STYLES.put("STRING", "string");
        STYLES.put("NUMBER", "number");
        STYLES.put("LITERAL", "literal");
        STYLES.put("BRACKET", "bracket");
    }

    private static final Pattern PATTERN = Pattern.compile(
            "(?<KEY>\"(?:[^\"\\\\\\n]|\\\\.)*\"(?=\\s*:))"
                    + "|(?<STRING>\"(?:[^\"\\\\\\n]|\\\\.)*\"?)"
                    + "|(?<NUMBER>-?\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)"
                    + "|(?<LITERAL>" + words("true", "false", "null") + ")"
                    + "|(?<BRACKET>[{}\\[\\]])");

    public JsonHighlighter() {
        super(PATTERN, STYLES);
    }
}
