package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pieces of an app as a layout reader found them, still mutable and each with the file (and
 * field path inside it) it came from, before {@link AppAssembler} resolves cross references,
 * extracts secrets, drops duplicates and sorts them into an {@link AppModel}.
 */
final class BundleParts {
    /** One config; {@code field} is its path inside {@code file} ("" when it is the whole file, else e.g. "[2]"). */
    record Part(ObjectNode config, String file, String field) {
    }

    /** A config with JavaScript source (functions, webhooks). */
    record Sourced(ObjectNode config, String file, String field, String source, String sourceFile) {
    }

    record Environment(String tag, ObjectNode config, String file) {
    }

    static final class Service {
        final ObjectNode config;
        final String file;
        final List<Part> collectionRules = new ArrayList<>();
        Part defaultRule;
        final List<Part> serviceRules = new ArrayList<>();
        final List<Sourced> webhooks = new ArrayList<>();

        Service(ObjectNode config, String file) {
            this.config = config;
            this.file = file;
        }

        String name() {
            return config.path("name").asText("");
        }
    }

    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    String metadataFile = "";
    final List<Part> authProviders = new ArrayList<>();
    final List<Sourced> functions = new ArrayList<>();
    final List<Service> services = new ArrayList<>();
    final List<Part> triggers = new ArrayList<>();
    final List<Part> values = new ArrayList<>();
    final List<Environment> environments = new ArrayList<>();
    final List<Part> endpoints = new ArrayList<>();
    /** The raw {@code secrets.json}, or null. */
    Part secrets;
    SortedMap<String, String> otherFiles = new TreeMap<>();
}
