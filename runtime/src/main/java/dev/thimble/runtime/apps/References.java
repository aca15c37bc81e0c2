package dev.thimble.runtime.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ValueDef;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an app refers to a function, value, secret or service by name, and how a rename rewrites
 * those places: trigger and endpoint {@code function_name}, auth providers' function names,
 * {@code %function} in rules and other expressions, {@code %%values.NAME} expansions, secrets named
 * by values, {@code secret_config} and webhook {@code secret_name}, trigger {@code service_name} and
 * the custom user data's service, and call sites in JavaScript with a literal name
 * ({@code context.functions.execute('name')}, {@code context.values.get('name')},
 * {@code context.services.get('name')}). A call whose name is computed at run time cannot be
 * rewritten; a rename lists it for the person to check. Comments and other strings are left alone.
 *
 * <p>One walk does both jobs: {@link #find} runs it with the name unchanged and keeps the report.
 */
public final class References {
    /** Auth provider config fields that name a function. */
    private static final List<String> PROVIDER_FUNCTION_FIELDS = List.of("authFunctionName", "confirmationFunctionName", "resetFunctionName");

    /** What refers to a name: each place with its file, and the places a rename cannot rewrite. */
    public record Report(List<String> places, List<String> notRewritten) {
        Report() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        public boolean isEmpty() {
            return places.isEmpty();
        }
    }

    /** The kinds of thing referred to by name. */
    enum Kind { FUNCTION, VALUE, SECRET, SERVICE }

    private References() {
    }

    /** Every place that refers to {@code name}; nothing changes. */
    static Report find(AppParts parts, Kind kind, String name) {
        return rewrite(parts, kind, name, null);
    }

    /**
     * Rewrites every reference to {@code from} into {@code to} in {@code parts} (in place), or only
     * reports them when {@code to} is null.
     */
    static Report rewrite(AppParts parts, Kind kind, String from, String to) {
        Report report = new Report();
        switch (kind) {
            case FUNCTION -> {
                parts.mapConfigs((file, config) -> functionNames(file, config, from, to, report));
                parts.mapSources((file, source) -> calls(file, source, "functions", "execute", from, to, report, true));
            }
            case VALUE -> {
                parts.mapConfigs((file, config) -> valueExpansions(file, config, from, to, report));
                parts.mapSources((file, source) -> calls(file, source, "values", "get", from, to, report, false));
            }
            case SECRET -> parts.mapConfigs((file, config) -> secretNames(file, config, from, to, report));
            case SERVICE -> {
                parts.mapConfigs((file, config) -> serviceNames(file, config, from, to, report));
                parts.mapSources((file, source) -> calls(file, source, "services", "get", from, to, report, false));
            }
        }
        return report;
    }

    private static Json functionNames(String file, Json config, String from, String to, Report report) {
        ObjectNode node = config.object();
        boolean trigger = file.startsWith("triggers/");
        boolean endpoint = file.startsWith("http_endpoints/");
        if ((trigger || endpoint) && from.equals(node.path("function_name").asText(null))) {
            report.places().add(file + ": function_name");
            set(node, "function_name", to);
        }
        if (file.startsWith("auth_providers/") && node.get("config") instanceof ObjectNode providerConfig) {
            for (String field : PROVIDER_FUNCTION_FIELDS) {
                if (from.equals(providerConfig.path(field).asText(null))) {
                    report.places().add(file + ": config." + field);
                    set(providerConfig, field, to);
                }
            }
        }
        int calls = renameFunctionOperators(node, from, to);
        if (calls > 0) {
            report.places().add(file + ": %function" + (calls > 1 ? " (" + calls + " times)" : ""));
        }
        return Json.of(node);
    }

    /** Rewrites {@code {"%function": {"name": from, …}}} anywhere in the tree; returns how many it found. */
    private static int renameFunctionOperators(JsonNode node, String from, String to) {
        int found = 0;
        if (node instanceof ObjectNode object) {
            if (object.get("%function") instanceof ObjectNode call && from.equals(call.path("name").asText(null))) {
                set(call, "name", to);
                found++;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                found += renameFunctionOperators(fields.next().getValue(), from, to);
            }
        } else if (node != null && node.isArray()) {
            for (JsonNode element : node) {
                found += renameFunctionOperators(element, from, to);
            }
        }
        return found;
    }

    private static Json valueExpansions(String file, Json config, String from, String to, Report report) {
        ObjectNode node = config.object();
        String exact = "%%values." + from;
        int found = replaceStrings(node, s -> s.equals(exact) || s.startsWith(exact + ".")
                ? (to == null ? s : "%%values." + to + s.substring(exact.length())) : null);
        if (found > 0) {
            report.places().add(file + ": " + exact + (found > 1 ? " (" + found + " times)" : ""));
        }
        return Json.of(node);
    }

    private static Json secretNames(String file, Json config, String from, String to, Report report) {
        ObjectNode node = config.object();
        if (file.startsWith("values/") && new ValueDef(config).fromSecret() && from.equals(node.path("value").asText(null))) {
            report.places().add(file + ": value (from_secret)");
            set(node, "value", to);
        }
        if (node.get("secret_config") instanceof ObjectNode secretConfig) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = secretConfig.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (from.equals(field.getValue().asText(null))) {
                    report.places().add(file + ": secret_config." + field.getKey());
                    if (to != null) {
                        field.setValue(TextNode.valueOf(to));
                    }
                }
            }
        }
        if (node.get("options") instanceof ObjectNode options && from.equals(options.path("secret_name").asText(null))) {
            report.places().add(file + ": options.secret_name");
            set(options, "secret_name", to);
        }
        return Json.of(node);
    }

    private static Json serviceNames(String file, Json config, String from, String to, Report report) {
        ObjectNode node = config.object();
        if (file.startsWith("triggers/") && node.get("config") instanceof ObjectNode triggerConfig
                && from.equals(triggerConfig.path("service_name").asText(null))) {
            report.places().add(file + ": config.service_name");
            set(triggerConfig, "service_name", to);
        }
        if (file.equals("stitch.json") && node.get("custom_user_data_config") instanceof ObjectNode customData
                && from.equals(customData.path("mongo_service_name").asText(null))) {
            report.places().add(file + ": custom_user_data_config.mongo_service_name");
            set(customData, "mongo_service_name", to);
        }
        return Json.of(node);
    }

    /**
     * Rewrites {@code context.<object>.<method>('from'} call sites with a literal name; with
     * {@code dynamicToo}, lists the calls whose name is computed (they might call {@code from}).
     */
    private static String calls(String file, String source, String object, String method, String from, String to,
                                Report report, boolean dynamicToo) {
        if (source == null) {
            return null;
        }
        String head = "context\\s*\\.\\s*" + object + "\\s*\\.\\s*" + method + "\\s*\\(\\s*";
        Matcher literal = Pattern.compile("(" + head + ")(['\"`])" + Pattern.quote(from) + "\\2").matcher(source);
        StringBuilder out = new StringBuilder();
        while (literal.find()) {
            report.places().add(file + ":" + line(source, literal.start()) + ": context." + object + "." + method + "('" + from + "')");
            String replacement = to == null ? literal.group() : literal.group(1) + literal.group(2) + to + literal.group(2);
            literal.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        literal.appendTail(out);
        if (dynamicToo) {
            Matcher dynamic = Pattern.compile(head + "(?![\\s'\"`)])").matcher(source);
            while (dynamic.find()) {
                report.notRewritten().add(file + ":" + line(source, dynamic.start()) + ": context." + object + "." + method
                        + "(…) with a name computed at run time; check it by hand");
            }
        }
        return out.toString();
    }

    /** Replaces every string in the tree for which {@code change} gives non-null; returns how many matched. */
    private static int replaceStrings(JsonNode node, java.util.function.Function<String, String> change) {
        int found = 0;
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    String now = change.apply(field.getValue().asText());
                    if (now != null) {
                        found++;
                        field.setValue(TextNode.valueOf(now));
                    }
                } else {
                    found += replaceStrings(field.getValue(), change);
                }
            }
        } else if (node != null && node.isArray()) {
            var array = (com.fasterxml.jackson.databind.node.ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    String now = change.apply(array.get(i).asText());
                    if (now != null) {
                        found++;
                        array.set(i, TextNode.valueOf(now));
                    }
                } else {
                    found += replaceStrings(array.get(i), change);
                }
            }
        }
        return found;
    }

    private static void set(ObjectNode node, String field, String to) {
        if (to != null) {
            node.put(field, to);
        }
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
