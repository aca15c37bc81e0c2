package dev.thimble.runtime.apps;

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
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Reading one item's config out of an {@link AppModel} and putting an edited one back, as pure
 * functions on immutable models: an editor captures its edit as a function and the workspace applies
 * it to whatever model is current when the save runs, so two editors never undo each other's saves.
 *
 * <p>Editors change an item's content, never its identity: a name (or database/collection, route
 * and method, app id) changed in the JSON is refused with a message saying so: a rename moves
 * files and rewrites references, which {@link StructureEdits#rename} does.
 */
public final class ModelEdits {
    private ModelEdits() {
    }

    /** The JSON an editor shows for an item, or empty when the model has no such item (any more). */
    public static Optional<Json> jsonOf(AppModel app, EditableItem item) {
        return switch (item) {
            case EditableItem.AppSettings a -> Optional.of(app.metadata());
            case EditableItem.Function f -> app.function(f.name()).map(FunctionDef::config);
            case EditableItem.Trigger t -> find(app.triggers(), d -> d.name().equals(t.name())).map(TriggerDef::config);
            case EditableItem.AuthProvider p -> app.authProvider(p.name()).map(AuthProviderDef::config);
            case EditableItem.Service s -> app.service(s.name()).map(ServiceDef::config);
            case EditableItem.Environment e -> find(app.environments(), d -> d.tag().equals(e.tag())).map(EnvironmentDef::config);
            case EditableItem.Endpoint e -> find(app.endpoints(), endpoint(e)).map(EndpointDef::config);
            case EditableItem.CollectionRule r -> app.service(r.service())
                    .flatMap(s -> find(s.collectionRules(), d -> d.namespace().equals(r.namespace())))
                    .map(CollectionRuleDef::config);
            case EditableItem.DefaultRule r -> app.service(r.service()).map(ServiceDef::defaultRule).filter(Objects::nonNull);
            case EditableItem.ServiceRule r -> app.service(r.service())
                    .flatMap(s -> find(s.serviceRules(), d -> d.name().equals(r.name())))
                    .map(ServiceRuleDef::config);
            case EditableItem.Webhook w -> app.service(w.service())
                    .flatMap(s -> find(s.webhooks(), d -> d.name().equals(w.name())))
                    .map(WebhookDef::config);
            case EditableItem.Value v -> app.value(v.name()).map(ValueDef::config);
            case EditableItem.Values v -> Optional.empty();
            case EditableItem.Secret s -> Optional.empty();
        };
    }

    /**
     * The model with one item's config replaced.
     *
     * @throws EditRefusedException when the item is gone, the edit changes its identity, or the item
     *                              is not edited as JSON
     */
    public static AppModel withJson(AppModel app, EditableItem item, Json edited) {
        if (jsonOf(app, item).isEmpty()) {
            throw new EditRefusedException(item.file() + " is no longer in the app (was it removed?); nothing was saved.");
        }
        return switch (item) {
            case EditableItem.AppSettings a -> {
                keep(item, edited, "app_id", app.clientAppId());
                yield copy(app, edited, app.functions(), app.services(), app.triggers(), app.values(),
                        app.authProviders(), app.environments(), app.endpoints());
            }
            case EditableItem.Function f -> {
                FunctionDef old = app.function(f.name()).orElseThrow();
                keep(item, edited, "name", f.name());
                yield withFunction(app, new FunctionDef(edited, old.source()));
            }
            case EditableItem.Trigger t -> {
                keep(item, edited, "name", t.name());
                yield copy(app, app.metadata(), app.functions(), app.services(),
                        replace(app.triggers(), d -> d.name().equals(t.name()), new TriggerDef(edited)),
                        app.values(), app.authProviders(), app.environments(), app.endpoints());
            }
            case EditableItem.AuthProvider p -> {
                keep(item, edited, "name", p.name(), app.authProvider(p.name()).orElseThrow().config().text("name"));
                yield copy(app, app.metadata(), app.functions(), app.services(), app.triggers(), app.values(),
                        replace(app.authProviders(), d -> d.name().equals(p.name()), new AuthProviderDef(edited)),
                        app.environments(), app.endpoints());
            }
            case EditableItem.Environment e -> copy(app, app.metadata(), app.functions(), app.services(), app.triggers(),
                    app.values(), app.authProviders(),
                    replace(app.environments(), d -> d.tag().equals(e.tag()), new EnvironmentDef(e.tag(), edited)),
                    app.endpoints());
            case EditableItem.Endpoint e -> {
                keep(item, edited, "route", e.route());
                keep(item, edited, "http_method", e.method(), find(app.endpoints(), endpoint(e)).orElseThrow().config().text("http_method"));
                yield copy(app, app.metadata(), app.functions(), app.services(), app.triggers(), app.values(),
                        app.authProviders(), app.environments(),
                        replace(app.endpoints(), endpoint(e), new EndpointDef(edited)));
            }
            case EditableItem.Service s -> {
                keep(item, edited, "name", s.name());
                yield withService(app, s.name(), old -> new ServiceDef(edited, old.collectionRules(), old.defaultRule(),
                        old.serviceRules(), old.webhooks()));
            }
            case EditableItem.CollectionRule r -> {
                CollectionRuleDef replacement = new CollectionRuleDef(edited);
                if (!replacement.namespace().equals(r.namespace())) {
                    throw new EditRefusedException("\"database\" and \"collection\" must stay " + quoted(r.namespace())
                            + ": to move the rule to another collection, rename it instead; nothing was saved.");
                }
                yield withService(app, r.service(), old -> new ServiceDef(old.config(),
                        replace(old.collectionRules(), d -> d.namespace().equals(r.namespace()), replacement),
                        old.defaultRule(), old.serviceRules(), old.webhooks()));
            }
            case EditableItem.DefaultRule r -> withService(app, r.service(), old -> new ServiceDef(old.config(),
                    old.collectionRules(), edited, old.serviceRules(), old.webhooks()));
            case EditableItem.ServiceRule r -> {
                keep(item, edited, "name", r.name());
                yield withService(app, r.service(), old -> new ServiceDef(old.config(), old.collectionRules(), old.defaultRule(),
                        replace(old.serviceRules(), d -> d.name().equals(r.name()), new ServiceRuleDef(edited)), old.webhooks()));
            }
            case EditableItem.Webhook w -> {
                keep(item, edited, "name", w.name());
                yield withService(app, w.service(), old -> new ServiceDef(old.config(), old.collectionRules(), old.defaultRule(),
                        old.serviceRules(), replace(old.webhooks(), d -> d.name().equals(w.name()),
                        new WebhookDef(edited, find(old.webhooks(), d -> d.name().equals(w.name())).orElseThrow().source()))));
            }
            case EditableItem.Value v -> {
                keep(item, edited, "name", v.name());
                List<ValueDef> values = replace(app.values(), d -> d.name().equals(v.name()), new ValueDef(edited));
                yield withValues(app, values);
            }
            case EditableItem.Values v -> throw new EditRefusedException("values are edited in the values table");
            case EditableItem.Secret s -> throw new EditRefusedException("secrets are not edited as JSON");
        };
    }

    /** The model with one function (matched by name) replaced. */
    public static AppModel withFunction(AppModel app, FunctionDef function) {
        if (app.function(function.name()).isEmpty()) {
            throw new EditRefusedException("The function " + function.name() + " is no longer in the app; nothing was saved.");
        }
        return copy(app, app.metadata(), replace(app.functions(), f -> f.name().equals(function.name()), function),
                app.services(), app.triggers(), app.values(), app.authProviders(), app.environments(), app.endpoints());
    }

    /** The model with all its values replaced by {@code values}, kept in name order as the model keeps them. */
    public static AppModel withValues(AppModel app, List<ValueDef> values) {
        List<ValueDef> sorted = new ArrayList<>(values);
        sorted.sort(java.util.Comparator.comparing(ValueDef::name));
        return copy(app, app.metadata(), app.functions(), app.services(), app.triggers(), sorted,
                app.authProviders(), app.environments(), app.endpoints());
    }

    private static AppModel withService(AppModel app, String name, UnaryOperator<ServiceDef> change) {
        return copy(app, app.metadata(), app.functions(),
                replaceWith(app.services(), s -> s.name().equals(name), change),
                app.triggers(), app.values(), app.authProviders(), app.environments(), app.endpoints());
    }

    private static AppModel copy(AppModel app, Json metadata, List<FunctionDef> functions, List<ServiceDef> services,
                                 List<TriggerDef> triggers, List<ValueDef> values, List<AuthProviderDef> providers,
                                 List<EnvironmentDef> environments, List<EndpointDef> endpoints) {
        return new AppModel(metadata, providers, functions, services, triggers, values, app.secretNames(),
                environments, endpoints, app.otherFiles());
    }

    /** Refuses an edit that changes a field naming the item; {@code current} is the value it has now (may be absent). */
    private static void keep(EditableItem item, Json edited, String field, String expected) {
        keep(item, edited, field, expected, expected);
    }

    private static void keep(EditableItem item, Json edited, String field, String expected, String current) {
        String now = edited.text(field);
        if (!Objects.equals(now, current)) {
            throw new EditRefusedException("\"" + field + "\" must stay " + quoted(expected) + " (" + item.file()
                    + "): to change it, rename the item instead; nothing was saved.");
        }
    }

    private static String quoted(String s) {
        return s == null ? "absent" : "\"" + s + "\"";
    }

    private static Predicate<EndpointDef> endpoint(EditableItem.Endpoint e) {
        return d -> d.route().equals(e.route()) && d.httpMethod().equals(e.method());
    }

    private static <T> Optional<T> find(List<T> list, Predicate<T> match) {
        return list.stream().filter(match).findFirst();
    }

    private static <T> List<T> replace(List<T> list, Predicate<T> match, T replacement) {
        return replaceWith(list, match, old -> replacement);
    }

    private static <T> List<T> replaceWith(List<T> list, Predicate<T> match, Function<T, T> change) {
        List<T> out = new ArrayList<>(list.size());
        for (T t : list) {
            out.add(match.test(t) ? change.apply(t) : t);
        }
        return out;
    }
}
