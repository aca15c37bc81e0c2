package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Renders a model as the files of a Stitch-layout bundle (STITCH-SPEC §1A), by bundle-relative
 * path. The same model always gives the same bytes: top-level keys in the spec's order then the
 * rest alphabetically, endpoints sorted by route and method, {@code JSON.stringify(x, null, 2)}
 * text. Secret values are not in the model, so they cannot be written; {@code secrets.json} lists
 * names only.
 */
final class BundleWriter {
    static final int CONFIG_VERSION = 20180301;

    private final WriteOptions options;
    private final SortedMap<String, byte[]> files = new TreeMap<>();

    private BundleWriter(WriteOptions options) {
        this.options = options;
    }

    /** The bundle's files; an IOException when a name cannot be a file name or two things claim one path. */
    static SortedMap<String, byte[]> render(AppModel app, WriteOptions options) throws IOException {
        BundleWriter writer = new BundleWriter(options);
        writer.app(app);
        return writer.files;
    }

    private void app(AppModel app) throws IOException {
        json("stitch.json", EntityKind.APP, metadata(app.metadata()));
        for (AuthProviderDef provider : app.authProviders()) {
            json("auth_providers/" + segment(provider.name(), "auth provider") + ".json", EntityKind.AUTH_PROVIDER, provider.config().object());
        }
        for (FunctionDef function : app.functions()) {
            String problem = BundlePaths.functionNameProblem(function.name());
            if (problem != null) {
                throw new IOException("cannot write the function '" + function.name() + "': " + problem);
            }
            String dir = "functions/" + function.name() + "/";
            json(dir + "config.json", EntityKind.FUNCTION, function.config().object());
            text(dir + "source.js", function.source());
        }
        for (ServiceDef service : app.services()) {
            service(service);
        }
        for (TriggerDef trigger : app.triggers()) {
            json("triggers/" + segment(trigger.name(), "trigger") + ".json", EntityKind.TRIGGER, trigger.config().object());
        }
        for (ValueDef value : app.values()) {
            json("values/" + segment(value.name(), "value") + ".json", EntityKind.VALUE, value.config().object());
        }
        for (EnvironmentDef environment : app.environments()) {
            ObjectNode config = environment.config().object();
            if (options.template()) {
                config.putObject("values");
            }
            json("environments/" + segment(environment.tag(), "environment") + ".json", EntityKind.ENVIRONMENT, config);
        }
        if (!app.endpoints().isEmpty()) {
            ArrayNode endpoints = JsonNodeFactory.instance.arrayNode();
            app.endpoints().stream().sorted(AppAssembler.ENDPOINT_ORDER)
                    .forEach(e -> endpoints.add(EntityKind.ENDPOINT.ordered(e.config().object())));
            put("http_endpoints/config.json", JsonFiles.bytes(endpoints));
        }
        if (!app.secretNames().isEmpty()) {
            ObjectNode secrets = JsonNodeFactory.instance.objectNode();
            ArrayNode names = secrets.putArray("names");
            app.secretNames().stream().sorted().distinct().forEach(names::add);
            put("secrets.json", JsonFiles.bytes(secrets));
        }
        for (var other : app.otherFiles().entrySet()) {
            String problem = BundlePaths.relativePathProblem(other.getKey());
            if (problem != null) {
                throw new IOException("cannot write the file '" + other.getKey() + "': " + problem);
            }
            text(other.getKey(), otherFile(other.getKey(), other.getValue()));
        }
    }

    private ObjectNode metadata(Json metadata) {
        ObjectNode root = metadata.object();
        root.put("config_version", CONFIG_VERSION);
        if (options.template()) {
            if (root.path("app_id").isTextual()) {
                root.put("app_id", ClientAppIds.namePart(root.path("app_id").asText()));
            }
            if (root.get("hosting") instanceof ObjectNode hosting) {
                hosting.remove("app_default_domain");
            }
        }
        return root;
    }

    private void service(ServiceDef service) throws IOException {
        String dir = "services/" + segment(service.name(), "service") + "/";
        ObjectNode config = service.config().object();
        if (options.template() && config.get("config") instanceof ObjectNode inner) {
            inner.remove("clusterName");
            if (service.type().equals("mongodb")) {
                inner.remove("uri");
            }
        }
        json(dir + "config.json", EntityKind.SERVICE, config);
        for (CollectionRuleDef rule : service.collectionRules()) {
            String file = segment(rule.database(), "rule database") + "." + segment(rule.collection(), "rule collection");
            json(dir + "rules/" + file + ".json", EntityKind.COLLECTION_RULE, rule.config().object());
        }
        for (ServiceRuleDef rule : service.serviceRules()) {
            json(dir + "rules/" + segment(rule.name(), "service rule") + ".json", EntityKind.SERVICE_RULE, rule.config().object());
        }
        if (service.defaultRule() != null) {
            json(dir + "default_rule.json", EntityKind.DEFAULT_RULE, service.defaultRule().object());
        }
        for (WebhookDef webhook : service.webhooks()) {
            String hookDir = dir + "incoming_webhooks/" + segment(webhook.name(), "webhook") + "/";
            json(hookDir + "config.json", EntityKind.WEBHOOK, webhook.config().object());
            text(hookDir + "source.js", webhook.source());
        }
    }

    /** An other file as held, except that a template drops the hosting config's default domain. */
    private String otherFile(String path, String content) {
        if (!options.template() || !path.equals("hosting/config.json")) {
            return content;
        }
        try {
            JsonNode hosting = Json.MAPPER.readTree(content);
            if (hosting instanceof ObjectNode object && object.has("app_default_domain")) {
                object.remove("app_default_domain");
                return JsonFiles.text(object);
            }
        } catch (IOException e) {
            // not JSON: the validator reports it; a template keeps it as it is
        }
        return content;
    }

    private void json(String path, EntityKind kind, ObjectNode config) throws IOException {
        put(path, JsonFiles.bytes(kind.ordered(config)));
    }

    private void text(String path, String content) throws IOException {
        put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private void put(String path, byte[] content) throws IOException {
        if (files.putIfAbsent(path, content) != null) {
            throw new IOException("two parts of the app would be written to " + path + "; rename one of them");
        }
    }

    private static String segment(String name, String what) throws IOException {
        String problem = BundlePaths.segmentProblem(name);
        if (problem != null) {
            throw new IOException("cannot write the " + what + " '" + name + "': " + problem);
        }
        return name;
    }

}
