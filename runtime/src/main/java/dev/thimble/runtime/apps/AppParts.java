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
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A mutable working copy of an {@link AppModel}, for structural edits that touch several entities at
 * once (a rename rewrites the references in triggers, rules and sources). {@link #toModel()} gives the
 * immutable model back, every list in name order as a read bundle has it.
 */
final class AppParts {
    Json metadata;
    final List<AuthProviderDef> providers;
    final List<FunctionDef> functions;
    final List<ServiceDef> services;
    final List<TriggerDef> triggers;
    final List<ValueDef> values;
    final List<String> secretNames;
    final List<EnvironmentDef> environments;
    final List<EndpointDef> endpoints;
    private final AppModel original;

    AppParts(AppModel app) {
        original = app;
        metadata = app.metadata();
        providers = new ArrayList<>(app.authProviders());
        functions = new ArrayList<>(app.functions());
        services = new ArrayList<>(app.services());
        triggers = new ArrayList<>(app.triggers());
        values = new ArrayList<>(app.values());
        secretNames = new ArrayList<>(app.secretNames());
        environments = new ArrayList<>(app.environments());
        endpoints = new ArrayList<>(app.endpoints());
    }

    AppModel toModel() {
        functions.sort(Comparator.comparing(FunctionDef::name));
        services.sort(Comparator.comparing(ServiceDef::name));
        triggers.sort(Comparator.comparing(TriggerDef::name));
        values.sort(Comparator.comparing(ValueDef::name));
        providers.sort(Comparator.comparing(AuthProviderDef::name));
        environments.sort(Comparator.comparing(EnvironmentDef::tag));
        List<String> secrets = secretNames.stream().distinct().sorted().toList();
        return new AppModel(metadata, providers, functions, services, triggers, values, secrets, environments, endpoints,
                original.otherFiles());
    }

    /**
     * Replaces every JSON config of the app by {@code change(file, config)}: the root config, providers,
     * functions' configs, services with their rules and webhooks, triggers, values, environments and
     * endpoints. {@code file} is the config's bundle file, for messages.
     */
    void mapConfigs(BiFunction<String, Json, Json> change) {
        metadata = change.apply("stitch.json", metadata);
        providers.replaceAll(p -> new AuthProviderDef(change.apply("auth_providers/" + p.name() + ".json", p.config())));
        functions.replaceAll(f -> new FunctionDef(change.apply("functions/" + f.name() + "/config.json", f.config()), f.source()));
        triggers.replaceAll(t -> new TriggerDef(change.apply("triggers/" + t.name() + ".json", t.config())));
        values.replaceAll(v -> new ValueDef(change.apply("values/" + v.name() + ".json", v.config())));
        environments.replaceAll(e -> new EnvironmentDef(e.tag(), change.apply("environments/" + e.tag() + ".json", e.config())));
        endpoints.replaceAll(e -> new EndpointDef(change.apply("http_endpoints/config.json", e.config())));
        services.replaceAll(s -> {
            String dir = "services/" + s.name() + "/";
            List<CollectionRuleDef> rules = s.collectionRules().stream()
                    .map(r -> new CollectionRuleDef(change.apply(dir + "rules/" + r.namespace() + ".json", r.config()))).toList();
            Json defaultRule = s.defaultRule() == null ? null : change.apply(dir + "default_rule.json", s.defaultRule());
            List<ServiceRuleDef> serviceRules = s.serviceRules().stream()
                    .map(r -> new ServiceRuleDef(change.apply(dir + "rules/" + r.name() + ".json", r.config()))).toList();
            List<WebhookDef> webhooks = s.webhooks().stream()
                    .map(w -> new WebhookDef(change.apply(dir + "incoming_webhooks/" + w.name() + "/config.json", w.config()), w.source()))
                    .toList();
            return new ServiceDef(change.apply(dir + "config.json", s.config()), rules, defaultRule, serviceRules, webhooks);
        });
    }

    /** Replaces every JavaScript source (functions and webhooks) by {@code change(file, source)}. */
    void mapSources(BiFunction<String, String, String> change) {
        functions.replaceAll(f -> new FunctionDef(f.config(), change.apply(f.sourcePath(), f.source())));
        services.replaceAll(s -> new ServiceDef(s.config(), s.collectionRules(), s.defaultRule(), s.serviceRules(),
                s.webhooks().stream().map(w -> new WebhookDef(w.config(), change.apply(
                        "services/" + s.name() + "/incoming_webhooks/" + w.name() + "/source.js", w.source()))).toList()));
    }
}
