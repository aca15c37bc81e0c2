package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one validation has found so far, and the names its references resolve against. Every check
 * adds here and carries on, so a bundle's problems are all reported in one pass.
 */
final class Findings {

    private static final int MAX_LISTED = 20;

    private final LoadResult loaded;
    private final AppModel app;
    private final Set<String> secretsWithValues;
    private final SortedSet<String> functionNames = new TreeSet<>();
    private final SortedSet<String> valueNames = new TreeSet<>();
    private final SortedSet<String> secretNames = new TreeSet<>();
    private final Set<Problem> problems = new LinkedHashSet<>();

    Findings(LoadResult loaded, Set<String> secretsWithValues) {
        this.loaded = loaded;
        this.app = loaded.app();
        this.secretsWithValues = secretsWithValues == null ? null : Set.copyOf(secretsWithValues);
        app.functions().forEach(f -> functionNames.add(f.name()));
        app.values().forEach(v -> valueNames.add(v.name()));
        secretNames.addAll(app.secretNames());
        functionNames.remove("");
        valueNames.remove("");
    }

    AppModel app() {
        return app;
    }

    /** The file an entity came from, or the Stitch-layout path. */
    String file(String key, String stitchPath) {
        return loaded.origin(key, stitchPath);
    }

    void error(String file, String field, String reason) {
        problems.add(Problem.error(file, field, reason));
    }

    void warning(String file, String field, String reason) {
        problems.add(Problem.warning(file, field, reason));
    }

    /** Everything found, each problem once, in the order found. */
    List<Problem> problems() {
        return new ArrayList<>(problems);
    }

    /** Reports {@code name} when no function has it; {@code subject} prefixes the reason ("" for none). */
    void functionRef(String file, String field, String name, String subject) {
        if (!functionNames.contains(name)) {
            error(file, field, subject + "function \"" + name + "\" does not exist; " + listing("functions", functionNames));
        }
    }

    void valueRef(String file, String field, String name) {
        if (!valueNames.contains(name)) {
            error(file, field, "value \"" + name + "\" does not exist; " + listing("values", valueNames));
        }
    }

    /**
     * Reports a secret the app does not know, and (when the caller knows which secrets have values)
     * one that has no local value yet.
     */
    void secretRef(String file, String field, String name, String subject) {
        if (!secretNames.contains(name)) {
            error(file, field, subject + "secret \"" + name + "\" is not known; " + listing("secrets", secretNames)
                    + "; fix the name, or declare the secret with: thimble secrets set <dir> " + name
                    + " (in the workbench: File > New > Secret)");
        } else if (secretsWithValues != null && !secretsWithValues.contains(name)) {
            warning(file, field, subject + "secret " + name + " has no local value; set it with: thimble secrets set <dir> " + name
                    + " (in the workbench: double-click the secret in the explorer)");
        }
    }

    /**
     * The MongoDB service {@code name}, or empty after reporting that there is no such service or
     * that it is not a MongoDB one; {@code purpose} says what needs it ("a database trigger").
     */
    Optional<ServiceDef> mongoServiceRef(String file, String field, String name, String purpose) {
        Optional<ServiceDef> service = app.service(name);
        SortedSet<String> mongoNames = app.services().stream().filter(ServiceDef::isMongo)
                .map(ServiceDef::name).collect(Collectors.toCollection(TreeSet::new));
        if (service.isEmpty()) {
            error(file, field, "service \"" + name + "\" does not exist; " + purpose + " needs a MongoDB service; "
                    + listing("MongoDB services", mongoNames));
        } else if (!service.get().isMongo()) {
            error(file, field, "service \"" + name + "\" is of type " + quoted(service.get().type()) + "; " + purpose
                    + " needs a MongoDB service (mongodb-atlas or mongodb); " + listing("MongoDB services", mongoNames));
            return Optional.empty();
        }
        return service;
    }

    String functionListing() {
        return listing("functions", functionNames);
    }

    /** "functions in this app: a, b" or "this app has no functions". */
    static String listing(String what, Collection<String> names) {
        if (names.isEmpty()) {
            return "this app has no " + what;
        }
        List<String> shown = names.stream().limit(MAX_LISTED).toList();
        String more = names.size() > MAX_LISTED ? ", … (" + (names.size() - MAX_LISTED) + " more)" : "";
        return what + " in this app: " + String.join(", ", shown) + more;
    }

    static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** A JSON value as a reason shows it: strings quoted, containers by kind. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isTextual()) {
            return quoted(value.asText());
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        return value.toString();
    }
}
