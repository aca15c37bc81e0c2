package dev.thimble.workbench.editors.code;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Colours JavaScript: comments, strings and template literals, numbers, keywords, literals, the {@code context} API, calls and brackets. */
public final class JavaScriptHighlighter extends Highlighter {
    private static final String KEYWORDS = words("async", "await", "break", "case", "catch", "class", "const", "continue",
            "debugger", "default", "delete", "do", "else", "export", "extends", "finally", "for", "function", "if",
            "import", "in", "instanceof", "let", "new", "of", "return", "static", "super", "switch", "this", "throw",
            "try", "typeof", "var", "void", "while", "with", "yield");
    private static final String LITERALS = words("true", "false", "null", "undefined", "NaN", "Infinity");
    private static final String STITCH_GLOBALS = words("context", "exports", "BSON", "EJSON", "console", "utils");

    private static final Map<String, String> STYLES = new LinkedHashMap<>();

    static {
        STYLES.put("COMMENT", "comment");
        STYLES.put("STRING", "string");
        STYLES.put("TEMPLATE", "string");
        STYLES.put("NUMBER", "number");
        STYLES.put("KEYWORD", "keyword");
        STYLES.put("LITERAL", "literal");
        STYLES.put("GLOBAL", "stitch-global");
        STYLES.put("CALL", "call");
        STYLES.put("BRACKET", "bracket");
    }

    private static final Pattern PATTERN = Pattern.compile(
            "(?<COMMENT>//[^\\n]*|/\\*[\\s\\S]*?(?:\\*/|$(?![\\s\\S])))"
                    + "|(?<STRING>\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'(?:[^'\\\\\\n]|\\\\.)*'?)"
                    + "|(?<TEMPLATE>`(?:[^`\\\\]|\\\\[\\s\\S])*`?)"
                    + "|(?<NUMBER>\\b(?:0[xX][0-9a-fA-F_]+|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?n?)\\b)"
                    + "|(?<KEYWORD>" + KEYWORDS + ")"
                    + "|(?<LITERAL>" + LITERALS + ")"
                    + "|(?<GLOBAL>" + STITCH_GLOBALS + ")"
                    + "|(?<CALL>[A-Za-z_$][\\w$]*(?=\\s*\\())"
                    + "|(?<BRACKET>[(){}\\[\\]])");

    public JavaScriptHighlighter() {
        super(PATTERN, STYLES);
    }
}
