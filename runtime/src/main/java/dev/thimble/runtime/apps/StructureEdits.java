package dev.thimble.runtime.apps;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.EndpointDef;
import dev.thimble.runtime.app.EnvironmentDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.runtime.app.ValueDef;
import dev.thimble.runtime.app.WebhookDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Structural changes to an app, as pure functions on immutable models: add, remove, duplicate and
 * rename an item of any kind. The item names its identity (a function's name, a rule's namespace, an
 * endpoint's method and route); the config given for a new item gets that identity written into it,
 * so the two can never disagree. A rename of a function, value, secret or service rewrites what
 * refers to it ({@link References}); removing an item never touches what refers to it (the caller
 * asks {@link #referencesTo} first).
 */
public final class StructureEdits {
    /** The source a new function gets when none is given. */
    public static final String BLANK_FUNCTION = "exports = async function(arg) {\n  return arg;\n};\n";
    /** The source a new webhook gets when none is given. */
    public static final String BLANK_WEBHOOK = "exports = async function(payload, response) {\n  return {};\n};\n";

    private StructureEdits() {
    }

    /**
     * A rename's outcome.
     *
     * @param changes      every place rewritten, {@code file: field} or {@code file:line: call}
     * @param notRewritten places that may refer to the old name but cannot be rewritten (a name computed at run time)
     */
    public record Renamed(AppModel model, EditableItem item, List<String> changes, List<String> notRewritten) {
        public Renamed {
            changes = List.copyOf(changes);
            notRewritten = List.copyOf(notRewritten);
        }
    }

    /**
     * The model with a new item.
     *
     * @param config its config (null or empty for the kind's defaults); the item's identity is written into it
     * @param source the JavaScript of a function or webhook (null for a blank one); ignored for other kinds
     * @throws EditRefusedException when an item of that identity exists, or its service does not
     */
    public static AppModel add(AppModel app, EditableItem item, Json config, String source) {
        if (exists(app, item)) {
            throw new EditRefusedException(describe(item) + " already exists; choose another name. Nothing was saved.");
        }
        Json base = config == null ? Json.empty() : config;
        AppParts parts = new AppParts(app);
        switch (item) {
            case EditableItem.Function f -> parts.functions.add(new FunctionDef(
                    identity(item, defaults(base, "private", false)), source == null ? BLANK_FUNCTION : source));
            case EditableItem.Trigger t -> parts.triggers.add(new TriggerDef(identity(item, base)));
            case EditableItem.Value v -> parts.values.add(new ValueDef(identity(item, defaults(base, "value", ""))));
            case EditableItem.Secret s -> parts.secretNames.add(s.name());
            case EditableItem.AuthProvider p -> parts.providers.add(new AuthProviderDef(identity(item, base)));
            case EditableItem.Environment e -> parts.environments.add(new EnvironmentDef(e.tag(),
                    base.has("values") ? base : base.with("values", JsonNodeFactory.instance.objectNode())));
            case EditableItem.Endpoint e -> parts.endpoints.add(new EndpointDef(identity(item, base)));
            case EditableItem.Service s -> parts.services.add(new ServiceDef(identity(item, base), List.of(), null, List.of(), List.of()));
            case EditableItem.CollectionRule r -> changeService(parts, r.service(), true, old -> withRules(old,
                    append(old.collectionRules(), new CollectionRuleDef(identity(item, ruleDefaults(base))))));
            case EditableItem.DefaultRule r -> changeService(parts, r.service(), true, old -> new ServiceDef(old.config(),
                    old.collectionRules(), ruleDefaults(base), old.serviceRules(), old.webhooks()));
            case EditableItem.ServiceRule r -> changeService(parts, r.service(), false, old -> new ServiceDef(old.config(),
                    old.collectionRules(), old.defaultRule(), append(old.serviceRules(), new ServiceRuleDef(identity(item, base))),
                    old.webhooks()));
            case EditableItem.Webhook w -> changeService(parts, w.service(), false, old -> new ServiceDef(old.config(),
                    old.collectionRules(), old.defaultRule(), old.serviceRules(),
                    append(old.webhooks(), new WebhookDef(identity(item, base), source == null ? BLANK_WEBHOOK : source))));
            case EditableItem.AppSettings a -> throw new EditRefusedException("An app has one settings file; edit it instead.");
            case EditableItem.Values v -> throw new EditRefusedException("Add values one at a time (a Value item).");
        }
        return parts.toModel();
    }

    /**
     * The model without {@code item} (a service goes with its rules and webhooks; a secret's name
     * goes, its local value is the caller's business).
     *
     * @throws EditRefusedException when the app has no such item
     */
    public static AppModel remove(AppModel app, EditableItem item) {
        if (!exists(app, item)) {
            throw new EditRefusedException(describe(item) + " is not in the app (removed already?); nothing was saved.");
        }
        AppParts parts = new AppParts(app);
        switch (item) {
            case EditableItem.Function f -> parts.functions.removeIf(d -> d.name().equals(f.name()));
            case EditableItem.Trigger t -> parts.triggers.removeIf(d -> d.name().equals(t.name()));
            case EditableItem.Value v -> parts.values.removeIf(d -> d.name().equals(v.name()));
            case EditableItem.Secret s -> parts.secretNames.removeIf(n -> n.equals(s.name()));
            case EditableItem.AuthProvider p -> parts.providers.removeIf(d -> d.name().equals(p.name()));
            case EditableItem.Environment e -> parts.environments.removeIf(d -> d.tag().equals(e.tag()));
            case EditableItem.Endpoint e -> parts.endpoints.removeIf(d -> d.httpMethod().equals(e.method()) && d.route().equals(e.route()));
            case EditableItem.Service s -> parts.services.removeIf(d -> d.name().equals(s.name()));
            case EditableItem.CollectionRule r -> changeService(parts, r.service(), true, old -> withRules(old,
                    old.collectionRules().stream().filter(d -> !d.namespace().equals(r.namespace())).toList()));
            case EditableItem.DefaultRule r -> changeService(parts, r.service(), true, old -> new ServiceDef(old.config(),
                    old.collectionRules(), null, old.serviceRules(), old.webhooks()));
            case EditableItem.ServiceRule r -> changeService(parts, r.service(), false, old -> new ServiceDef(old.config(),
                    old.collectionRules(), old.defaultRule(),
                    old.serviceRules().stream().filter(d -> !d.name().equals(r.name())).toList(), old.webhooks()));
            case EditableItem.Webhook w -> changeService(parts, w.service(), false, old -> new ServiceDef(old.config(),
                    old.collectionRules(), old.defaultRule(), old.serviceRules(),
                    old.webhooks().stream().filter(d -> !d.name().equals(w.name())).toList()));
            case EditableItem.AppSettings a -> throw new EditRefusedException("An app's settings cannot be removed; delete the app instead.");
            case EditableItem.Values v -> throw new EditRefusedException("Remove values one at a time (a Value item).");
        }
        return parts.toModel();
    }

    /** The model with a copy of {@code item} named {@code newName} (see {@link #renamedItem} for what a name is per kind). */
    public static AppModel duplicate(AppModel app, EditableItem item, String newName) {
        EditableItem copy = renamedItem(item, newName);
        Json config = ModelEdits.jsonOf(app, item).orElse(null);
        if (config == null && !(item instanceof EditableItem.Secret)) {
            throw new EditRefusedException(describe(item) + " is not in the app (removed already?); nothing was saved.");
        }
        if (config != null) {
            config = config.without("id"); // an imported id belongs to the original only
        }
        if (item instanceof EditableItem.Service s) {
            return copyService(app, s.name(), ((EditableItem.Service) copy).name(), true);
        }
        return add(app, copy, config, sourceOf(app, item).orElse(null));
    }

    /**
     * The model with {@code item} renamed to {@code newName} and every reference to it rewritten.
     * What a name is, per kind: a function's, trigger's, value's, secret's, service's, auth provider's,
     * service rule's or webhook's name; a collection rule's {@code database.collection}; an
     * environment's tag; an endpoint's route (its method stays).
     *
     * @throws EditRefusedException when the item is gone, the new name is taken, or the kind has no name
     */
    public static Renamed rename(AppModel app, EditableItem item, String newName) {
        EditableItem target = renamedItem(item, newName);
        if (target.equals(item)) {
            return new Renamed(app, item, List.of(), List.of());
        }
        if (!exists(app, item)) {
            throw new EditRefusedException(describe(item) + " is not in the app (removed already?); nothing was saved.");
        }
        if (exists(app, target)) {
            throw new EditRefusedException(describe(target) + " already exists; choose another name. Nothing was saved.");
        }
        Json config = ModelEdits.jsonOf(app, item).orElse(null);
        AppModel moved = item instanceof EditableItem.Service s
                ? copyService(app, s.name(), ((EditableItem.Service) target).name(), false)
                : add(remove(app, item), target, config, sourceOf(app, item).orElse(null));
        References.Kind kind = switch (item) {
            case EditableItem.Function f -> References.Kind.FUNCTION;
            case EditableItem.Value v -> References.Kind.VALUE;
            case EditableItem.Secret s -> References.Kind.SECRET;
            case EditableItem.Service s -> References.Kind.SERVICE;
            default -> null;
        };
        if (kind == null) {
            return new Renamed(moved, target, List.of(), List.of());
        }
        AppParts parts = new AppParts(moved);
        References.Report report = References.rewrite(parts, kind, oldName(item), newName);
        return new Renamed(parts.toModel(), target, report.places(), report.notRewritten());
    }

    /** What refers to {@code item} by name (empty for kinds nothing refers to), and the calls that may. */
    public static References.Report referencesTo(AppModel app, EditableItem item) {
        References.Kind kind = switch (item) {
            case EditableItem.Function f -> References.Kind.FUNCTION;
            case EditableItem.Value v -> References.Kind.VALUE;
            case EditableItem.Secret s -> References.Kind.SECRET;
            case EditableItem.Service s -> References.Kind.SERVICE;
            default -> null;
        };
        return kind == null ? new References.Report() : References.find(new AppParts(app), kind, oldName(item));
    }

    /** The item {@code item} becomes under {@code newName}. */
    public static EditableItem renamedItem(EditableItem item, String newName) {
        if (newName == null || newName.isBlank()) {
            throw new EditRefusedException("A new name is needed; nothing was saved.");
        }
        String name = newName.strip();
        return switch (item) {
            case EditableItem.Function f -> new EditableItem.Function(name);
            case EditableItem.Trigger t -> new EditableItem.Trigger(name);
            case EditableItem.Value v -> new EditableItem.Value(name);
            case EditableItem.Secret s -> new EditableItem.Secret(name);
            case EditableItem.AuthProvider p -> new EditableItem.AuthProvider(name);
            case EditableItem.Environment e -> new EditableItem.Environment(name);
            case EditableItem.Endpoint e -> new EditableItem.Endpoint(e.method(), name);
            case EditableItem.Service s -> new EditableItem.Service(name);
            case EditableItem.CollectionRule r -> {
                int dot = name.indexOf('.');
                if (dot <= 0 || dot == name.length() - 1) {
                    throw new EditRefusedException("A collection rule is named database.collection, not \"" + name + "\"; nothing was saved.");
                }
                yield new EditableItem.CollectionRule(r.service(), name);
            }
            case EditableItem.ServiceRule r -> new EditableItem.ServiceRule(r.service(), name);
            case EditableItem.Webhook w -> new EditableItem.Webhook(w.service(), name);
            case EditableItem.DefaultRule r -> throw new EditRefusedException("A default rule has no name of its own.");
            case EditableItem.AppSettings a -> throw new EditRefusedException("Rename the app in its settings (\"name\").");
            case EditableItem.Values v -> throw new EditRefusedException("Rename values one at a time (a Value item).");
        };
    }

    /** Whether the app has {@code item}. */
    public static boolean exists(AppModel app, EditableItem item) {
        return switch (item) {
            case EditableItem.Secret s -> app.secretNames().contains(s.name());
            case EditableItem.Values v -> !app.values().isEmpty();
            default -> ModelEdits.jsonOf(app, item).isPresent();
        };
    }

    /** The name an item's config carries in {@code "name"} (its title for kinds named otherwise). */
    private static String oldName(EditableItem item) {
        return switch (item) {
            case EditableItem.Function f -> f.name();
            case EditableItem.Value v -> v.name();
            case EditableItem.Secret s -> s.name();
            case EditableItem.Service s -> s.name();
            case EditableItem.Trigger t -> t.name();
            case EditableItem.AuthProvider p -> p.name();
            case EditableItem.ServiceRule r -> r.name();
            case EditableItem.Webhook w -> w.name();
            default -> item.title();
        };
    }

    /** The app with service {@code from} copied (or moved) to {@code to}, with its rules and webhooks. */
    private static AppModel copyService(AppModel app, String from, String to, boolean keepOriginal) {
        if (app.service(to).isPresent()) {
            throw new EditRefusedException("The service " + to + " already exists; choose another name. Nothing was saved.");
        }
        ServiceDef old = app.service(from).orElseThrow(() -> new EditRefusedException(
                "The service " + from + " is not in the app (removed already?); nothing was saved."));
        AppParts parts = new AppParts(app);
        if (!keepOriginal) {
            parts.services.removeIf(d -> d.name().equals(from));
        }
        Json config = old.config().with("name", to);
        parts.services.add(new ServiceDef(keepOriginal ? config.without("id") : config, old.collectionRules(), old.defaultRule(),
                old.serviceRules(), old.webhooks()));
        return parts.toModel();
    }

    private static Optional<String> sourceOf(AppModel app, EditableItem item) {
        return switch (item) {
            case EditableItem.Function f -> app.function(f.name()).map(FunctionDef::source);
            case EditableItem.Webhook w -> app.service(w.service())
                    .flatMap(s -> s.webhooks().stream().filter(d -> d.name().equals(w.name())).findFirst())
                    .map(WebhookDef::source);
            default -> Optional.empty();
        };
    }

    /** The config with the item's identity fields set. */
    private static Json identity(EditableItem item, Json config) {
        return switch (item) {
            case EditableItem.CollectionRule r -> {
                int dot = r.namespace().indexOf('.');
                if (dot <= 0) {
                    throw new EditRefusedException("A collection rule is named database.collection, not \"" + r.namespace() + "\".");
                }
                yield config.with("database", r.namespace().substring(0, dot)).with("collection", r.namespace().substring(dot + 1));
            }
            case EditableItem.Endpoint e -> config.with("route", e.route()).with("http_method", e.method());
            default -> config.with("name", oldName(item));
        };
    }

    private static Json defaults(Json config, String field, Object value) {
        if (config.has(field)) {
            return config;
        }
        ObjectNode node = config.object();
        switch (value) {
            case Boolean b -> node.put(field, b);
            case String s -> node.put(field, s);
            default -> throw new IllegalArgumentException(String.valueOf(value));
        }
        return Json.of(node);
    }

    private static Json ruleDefaults(Json config) {
        ObjectNode node = config.object();
        if (!node.has("roles")) {
            node.putArray("roles");
        }
        if (!node.has("filters")) {
            node.putArray("filters");
        }
        return Json.of(node);
    }

    private static void changeService(AppParts parts, String service, boolean mongo, UnaryOperator<ServiceDef> change) {
        for (int i = 0; i < parts.services.size(); i++) {
            ServiceDef old = parts.services.get(i);
            if (old.name().equals(service)) {
                if (mongo != old.isMongo()) {
                    throw new EditRefusedException("The service " + service + " (" + old.type() + ") has "
                            + (mongo ? "no collection rules: only a MongoDB service does" : "no service rules or webhooks: it is a MongoDB service")
                            + "; nothing was saved.");
                }
                parts.services.set(i, change.apply(old));
                return;
            }
        }
        throw new EditRefusedException("The app has no service " + service + "; add it first. Nothing was saved.");
    }

    private static ServiceDef withRules(ServiceDef old, List<CollectionRuleDef> rules) {
        List<CollectionRuleDef> sorted = new ArrayList<>(rules);
        sorted.sort(java.util.Comparator.comparing(CollectionRuleDef::namespace));
        return new ServiceDef(old.config(), sorted, old.defaultRule(), old.serviceRules(), old.webhooks());
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    /** The item as a person names it in a message, e.g. {@code the function addItem}. */
    static String describe(EditableItem item) {
        String kind = switch (item) {
            case EditableItem.Function f -> "The function";
            case EditableItem.Trigger t -> "The trigger";
            case EditableItem.Value v -> "The value";
            case EditableItem.Secret s -> "The secret";
            case EditableItem.AuthProvider p -> "The auth provider";
            case EditableItem.Environment e -> "The environment";
            case EditableItem.Endpoint e -> "The endpoint";
            case EditableItem.Service s -> "The service";
            case EditableItem.CollectionRule r -> "The rule of " + r.service() + ":";
            case EditableItem.DefaultRule r -> "The default rule of";
            case EditableItem.ServiceRule r -> "The rule of " + r.service() + ":";
            case EditableItem.Webhook w -> "The webhook of " + w.service() + ":";
            case EditableItem.AppSettings a -> "";
            case EditableItem.Values v -> "";
        };
        String name = switch (item) {
            case EditableItem.DefaultRule r -> r.service();
            case EditableItem.CollectionRule r -> r.namespace();
            case EditableItem.ServiceRule r -> r.name();
            case EditableItem.Webhook w -> w.name();
            default -> item.title();
        };
        return (kind + " " + name).strip();
    }
}
