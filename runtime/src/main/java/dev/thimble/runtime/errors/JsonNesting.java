package dev.thimble.runtime.errors;

/**
 * The nesting limit of JSON that Thimble parses from clients. The parsers recurse per level, so
 * without a limit a body of 10,000 opening brackets ends in a stack overflow; MongoDB itself
 * refuses documents nested deeper than 100 levels, so nothing deeper could be stored anyway.
 */
public final class JsonNesting {
    /** The deepest nesting of objects and arrays accepted (MongoDB's limit for documents). */
    public static final int MAX_DEPTH = 100;

    private JsonNesting() {
    }

    /**
     * The failure to refuse {@code json} with when its objects and arrays nest deeper than
     * {@link #MAX_DEPTH}, or null. A linear scan that skips strings; it does not validate the JSON.
     */
    public static InvalidInput tooDeep(CharSequence json, String what) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0, n = json.length(); i < n; i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    return new InvalidInput("InvalidParameter", what + " nests objects and arrays deeper than "
                            + MAX_DEPTH + " levels; flatten it");
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return null;
    }

    /** Throws {@link #tooDeep}'s error when there is one. */
    public static void check(CharSequence json, String what) {
        InvalidInput error = tooDeep(json, what);
        if (error != null) {
            throw error;
        }
    }
}
