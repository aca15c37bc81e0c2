package dev.thimble.runtime.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Keeps secret values out of the model. A bundle may carry them in two legacy places: Stitch's
 * {@code secrets.json} ({@code {"services": {svc: {field: value}}, "auth_providers": {name: {field:
 * value}}}}) and a webhook's inline {@code options.secret}. Each value moves to the extracted-secrets
 * map under a secret name the component then refers to; the model keeps only names. Thimble's own
 * {@code secrets.json} is {@code {"names": [...]}}: names only.
 */
final class SecretExtraction {
    static final String ADVICE = "belong in the local secret store (`thimble secrets set`) and are not written back";

    private SecretExtraction() {
    }

    /**
     * Reads {@code secrets.json}: returns the names it declares, moves every value it holds into
     * {@code extracted} and points the component's {@code secret_config} at the value's name.
     */
    static SortedSet<String> secretsFile(BundleParts parts, BundleReadContext ctx, Map<String, String> extracted) {
        SortedSet<String> declared = new TreeSet<>();
        if (parts.secrets == null) {
            return declared;
        }
        String file = parts.secrets.file();
        ObjectNode secrets = parts.secrets.config();
        boolean heldValues = false;
        for (Map.Entry<String, JsonNode> entry : secrets.properties()) {
            switch (entry.getKey()) {
                case "names" -> declaredNames(entry.getValue(), file, ctx, declared);
                case "services" -> heldValues |= components(entry.getValue(), "services", "service", file, ctx, extracted,
                        name -> parts.services.stream().filter(s -> s.name().equals(name)).map(s -> s.config).findFirst());
                case "auth_providers" -> heldValues |= components(entry.getValue(), "auth_providers", "auth_provider", file, ctx, extracted,
                        name -> parts.authProviders.stream().map(BundleParts.Part::config)
                                .filter(p -> providerName(p).equals(name)).findFirst());
                default -> ctx.warning(file, entry.getKey(),
                        "unknown field, ignored (secrets.json holds only \"names\"; it is not written back as read)");
            }
        }
        if (heldValues) {
            ctx.warning(file, "", "secrets.json holds secret values; they " + ADVICE);
        }
        return declared;
    }

    private static void declaredNames(JsonNode names, String file, BundleReadContext ctx, SortedSet<String> declared) {
        if (!names.isArray()) {
            ctx.error(file, "names", "expected an array of secret names, found " + EntityKind.describe(names));
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isTextual() && !names.get(i).asText().isEmpty()) {
                declared.add(names.get(i).asText());
            } else {
                ctx.error(file, "names[" + i + "]", "expected a secret name (a non-empty string), found " + EntityKind.describe(names.get(i)));
            }
        }
    }

    /** One section of legacy secrets.json; true when it held at least one value. */
    private static boolean components(JsonNode section, String sectionName, String component, String file,
                                      BundleReadContext ctx, Map<String, String> extracted,
                                      java.util.function.Function<String, Optional<ObjectNode>> find) {
        if (!(section instanceof ObjectNode byName)) {
            ctx.error(file, sectionName, "expected an object keyed by name, found " + EntityKind.describe(section));
            return false;
        }
        boolean heldValues = false;
        for (Map.Entry<String, JsonNode> byComponent : byName.properties()) {
            String name = byComponent.getKey();
            String path = sectionName + "." + name;
            if (!(byComponent.getValue() instanceof ObjectNode fields)) {
                ctx.error(file, path, "expected an object of secret fields, found " + EntityKind.describe(byComponent.getValue()));
                continue;
            }
            heldValues |= !fields.isEmpty();
            Optional<ObjectNode> target = find.apply(name);
            if (target.isEmpty()) {
                ctx.warning(file, path, "the app has no " + component.replace('_', ' ') + " named '" + name + "'; its secret values are ignored");
                continue;
            }
            ObjectNode secretConfig = target.get().get("secret_config") instanceof ObjectNode s ? s : target.get().putObject("secret_config");
            for (Map.Entry<String, JsonNode> field : fields.properties()) {
                String base = component + "." + name + "." + field.getKey();
                JsonNode names = extract(field.getValue(), secretConfig.get(field.getKey()), base, extracted);
                if (names == null) {
                    ctx.error(file, path + "." + field.getKey(), "expected a secret value (a string or an array of strings), found "
                            + EntityKind.describe(field.getValue()) + "; the value is ignored");
                } else {
                    secretConfig.set(field.getKey(), names);
                }
            }
        }
        return heldValues;
    }

    /**
     * Moves one field's value (a string, or an array of strings such as custom-token signing keys)
     * into {@code extracted} under the name(s) {@code reference} gives, or under {@code base}
     * ({@code base.<i>} for arrays) when it gives none; returns the secret_config entry naming them.
     */
    private static JsonNode extract(JsonNode value, JsonNode reference, String base, Map<String, String> extracted) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value.isTextual()) {
            String name = reference != null && reference.isTextual() && !reference.asText().isEmpty() ? reference.asText() : base;
            extracted.put(name, value.asText());
            return nodes.textNode(name);
        }
        if (value.isArray()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isTextual()) {
                    return null;
                }
                JsonNode ref = reference != null && reference.isArray() ? reference.get(i) : null;
                names.add(ref != null && ref.isTextual() && !ref.asText().isEmpty() ? ref.asText() : base + "." + i);
            }
            ArrayNode out = nodes.arrayNode();
            for (int i = 0; i < names.size(); i++) {
                extracted.put(names.get(i), value.get(i).asText());
                out.add(names.get(i));
            }
            return out;
        }
        return null;
    }

    /**
     * A webhook's inline {@code options.secret} → a secret named by its {@code options.secret_name},
     * or {@code webhook.<svc>.<hook>}; the option is removed and {@code secret_name} set.
     */
    static void webhooks(BundleParts parts, BundleReadContext ctx, Map<String, String> extracted) {
        for (BundleParts.Service service : parts.services) {
            for (BundleParts.Sourced webhook : service.webhooks) {
                if (!(webhook.config().get("options") instanceof ObjectNode options) || !options.has("secret")) {
                    continue;
                }
                JsonNode value = options.remove("secret");
                if (value.isNull() || value.asText("").isEmpty() || value.isContainerNode()) {
                    continue; // nothing secret in it: an empty or meaningless placeholder
                }
                String name = options.path("secret_name").asText("");
                if (name.isEmpty()) {
                    name = "webhook." + service.name() + "." + webhook.config().path("name").asText();
                    options.put("secret_name", name);
                }
                extracted.put(name, value.asText());
                ctx.warning(webhook.file(), "options.secret", "the webhook holds its secret value inline; it was moved to the secret '"
                        + name + "' (options.secret_name); secret values " + ADVICE);
            }
        }
    }

    /** Every secret name the model refers to, plus the declared ones, sorted. */
    static List<String> names(AppModel app, SortedSet<String> declared, Map<String, String> extracted) {
        SortedSet<String> names = new TreeSet<>(declared);
        names.addAll(extracted.keySet());
        app.authProviders().forEach(p -> secretConfigNames(p.config(), names));
        for (ServiceDef service : app.services()) {
            secretConfigNames(service.config(), names);
            service.webhooks().forEach(w -> add(w.config().obj("options").get("secret_name"), names));
        }
        app.values().stream().filter(ValueDef::fromSecret).forEach(v -> add(v.config().get("value"), names));
        app.endpoints().forEach(e -> add(e.config().get("secret_name"), names));
        return List.copyOf(names);
    }

    private static void secretConfigNames(Json config, SortedSet<String> names) {
        Json secretConfig = config.obj("secret_config");
        for (String field : secretConfig.fieldNames()) {
            JsonNode reference = secretConfig.get(field);
            if (reference.isArray()) {
                reference.forEach(r -> add(r, names));
            } else {
                add(reference, names);
            }
        }
    }

    private static void add(JsonNode name, SortedSet<String> names) {
        if (name != null && name.isTextual() && !name.asText().isEmpty()) {
            names.add(name.asText());
        }
    }

    static String providerName(ObjectNode provider) {
        return provider.path("name").isTextual() ? provider.path("name").asText() : provider.path("type").asText("");
    }
}
