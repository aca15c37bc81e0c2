package dev.thimble.workbench.editors.code;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to offer where the caret is in a function's source: the members of the {@code context} API
 * after {@code context.} (and of its parts, e.g. {@code context.user.}), the app's function names in
 * {@code context.functions.execute("}, value names in {@code context.values.get("}, service names in
 * {@code context.services.get("}, and the Stitch globals for a bare word. No JavaFX.
 */
public final class Completions {
    private static final Map<String, List<String>> MEMBERS = Map.of(
            "context", List.of("app", "environment", "functions", "http", "request", "runningAsSystem()", "services", "user", "values"),
            "context.functions", List.of("execute"),
            "context.values", List.of("get"),
            "context.services", List.of("get"),
            "context.http", List.of("delete", "get", "head", "patch", "post", "put"),
            "context.user", List.of("custom_data", "data", "id", "identities", "type"),
            "context.request", List.of("action", "httpMethod", "httpReferrer", "httpUserAgent", "rawQueryString", "remoteIPAddress",
                    "requestHeaders", "service", "webhookUrl"),
            "context.app", List.of("clientAppId", "id", "name"),
            "utils", List.of("crypto", "jwt"),
            "console", List.of("debug", "error", "info", "log", "trace", "warn"));
    private static final List<String> GLOBALS = List.of("BSON", "EJSON", "console", "context", "exports", "utils");
    private static final Pattern MEMBER = Pattern.compile("([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\.([\\w$]*)$");
    private static final Pattern NAME_ARGUMENT = Pattern.compile(
            "context\\.(functions\\.execute|values\\.get|services\\.get)\\(\\s*([\"'])([^\"']*)$");
    private static final Pattern WORD = Pattern.compile("([A-Za-z_$][\\w$]*)$");

    /** The names in the open app the quoted arguments complete from. */
    public record AppNames(Supplier<List<String>> functions, Supplier<List<String>> values, Supplier<List<String>> services) {
    }

    /**
     * Candidates for the text before the caret.
     *
     * @param replaceFrom where the typed prefix starts (the candidate replaces from there to the caret)
     * @param candidates  in the order to show, filtered by the prefix (case-insensitive); empty for nothing to offer
     */
    public record Proposal(int replaceFrom, String prefix, List<String> candidates) {
    }

    private final AppNames names;

    public Completions(AppNames names) {
        this.names = names;
    }

    /** What fits at {@code caret} in {@code text}. */
    public Proposal at(String text, int caret) {
        int lineStart = text.lastIndexOf('\n', Math.max(0, caret - 1)) + 1;
        String before = text.substring(lineStart, caret);
        Matcher argument = NAME_ARGUMENT.matcher(before);
        if (argument.find()) {
            String prefix = argument.group(3);
            List<String> pool = switch (argument.group(1)) {
                case "functions.execute" -> names.functions().get();
                case "values.get" -> names.values().get();
                default -> names.services().get();
            };
            return proposal(caret - prefix.length(), prefix, pool);
        }
        Matcher member = MEMBER.matcher(before);
        if (member.find()) {
            List<String> pool = MEMBERS.get(member.group(1));
            if (pool != null) {
                String prefix = member.group(2);
                return proposal(caret - prefix.length(), prefix, pool);
            }
            return new Proposal(caret, "", List.of());
        }
        Matcher word = WORD.matcher(before);
        if (word.find()) {
            String prefix = word.group(1);
            return proposal(caret - prefix.length(), prefix, GLOBALS);
        }
        return new Proposal(caret, "", List.of());
    }

    private static Proposal proposal(int from, String prefix, List<String> pool) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        List<String> matching = pool.stream().filter(c -> c.toLowerCase(Locale.ROOT).startsWith(lower) && !c.equals(prefix)).toList();
        return new Proposal(from, prefix, matching);
    }
}
