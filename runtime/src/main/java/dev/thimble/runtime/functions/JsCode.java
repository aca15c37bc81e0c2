package dev.thimble.runtime.functions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * A JavaScript source's code without its comments and the text of its string, template and regular-expression
 * literals (a template's {@code ${...}} parts are code and stay), for scans that look for words in code only
 * ({@link WarmableFunctions}). Not a parser: a {@code /} is a regular expression where an expression may start
 * (after an operator, a bracket, a comma or a keyword such as {@code return}), else a division. A quoted string
 * must end on its line; whatever does not end (a string, a comment, a template, a regular expression) gives null,
 * and callers then treat the source as unknown.
 */
final class JsCode {
    /** Keywords after which a {@code /} starts a regular expression. */
    private static final Set<String> BEFORE_EXPRESSION = Set.of("return", "typeof", "instanceof", "in", "of", "new",
            "delete", "void", "throw", "case", "do", "else", "yield", "await");

    private JsCode() {
    }

    /** The code of {@code source} with comments and literal text blanked, or null when a literal or comment does not end. */
    static String withoutTextAndComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        Deque<Integer> substitutions = new ArrayDeque<>(); // brace depth each open ${ of a template started at
        int depth = 0;
        boolean inTemplate = false;
        char last = 0; // the last code character written (not a space)
        String word = null; // the word (identifier, keyword, number) last is the end of, or null
        int n = source.length();
        int i = 0;
        while (i < n) {
            char c = source.charAt(i);
            if (inTemplate) {
                if (c == '\\') {
                    i += 2;
                } else if (c == '`') {
                    inTemplate = false;
                    out.append('`');
                    last = '`';
                    word = null;
                    i++;
                } else if (c == '$' && i + 1 < n && source.charAt(i + 1) == '{') {
                    substitutions.push(depth);
                    depth++;
                    inTemplate = false;
                    out.append("${");
                    last = '{';
                    word = null;
                    i += 2;
                } else {
                    i++;
                }
                continue;
            }
            char next = i + 1 < n ? source.charAt(i + 1) : 0;
            if (c == '/' && next == '/') {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
                out.append(' ');
                continue;
            }
            if (c == '/' && next == '*') {
                int end = source.indexOf("*/", i + 2);
                if (end < 0) {
                    return null;
                }
                i = end + 2;
                out.append(' ');
                continue;
            }
            if (c == '\'' || c == '"') {
                int end = endOfQuoted(source, i + 1, c);
                if (end < 0) {
                    return null;
                }
                out.append(c).append(c);
                last = c;
                word = null;
                i = end + 1;
                continue;
            }
            if (c == '`') {
                inTemplate = true;
                out.append('`');
                i++;
                continue;
            }
            if (c == '/' && regexCanStart(last, word)) {
                int end = endOfRegex(source, i + 1);
                if (end < 0) {
                    return null;
                }
                out.append("/ /");
                last = '/';
                word = null;
                i = end + 1;
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (!substitutions.isEmpty() && substitutions.peek() == depth) {
                    substitutions.pop();
                    inTemplate = true;
                    out.append('}');
                    i++;
                    continue;
                }
            }
            if (Character.isJavaIdentifierPart(c)) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(source.charAt(end))) {
                    end++;
                }
                word = source.substring(i, end);
                out.append(word);
                last = source.charAt(end - 1);
                i = end;
                continue;
            }
            if (!Character.isWhitespace(c)) {
                word = null;
                last = c;
            }
            out.append(c);
            i++;
        }
        return inTemplate || !substitutions.isEmpty() ? null : out.toString();
    }

    /** Whether a {@code /} after {@code last} (and {@code word}, when last ends one) starts a regular expression. */
    private static boolean regexCanStart(char last, String word) {
        if (word != null) {
            return BEFORE_EXPRESSION.contains(word);
        }
        return last == 0 || ")]}'\"`".indexOf(last) < 0;
    }

    /** The index of the quote that ends a string begun before {@code from}, or -1 (none on its line). */
    private static int endOfQuoted(String source, int from, char quote) {
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            } else if (c == '\n') {
                return -1;
            }
        }
        return -1;
    }

    /** The index of the {@code /} that ends a regular expression begun before {@code from} (classes may hold a /), or -1. */
    private static int endOfRegex(String source, int from) {
        boolean inClass = false;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\n') {
                return -1;
            } else if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                return i;
            }
        }
        return -1;
    }
}
