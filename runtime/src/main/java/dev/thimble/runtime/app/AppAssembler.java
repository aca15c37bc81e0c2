package dev.thimble.runtime.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Function;

/**
 * Turns the parts a layout reader found into the model: secret values extracted, cross references
 * resolved (trigger and custom-user-data service ids → names), duplicates dropped with an error
 * naming both files, every list sorted by name (namespace, route) so equal apps give equal models,
 * and the origin of every entity recorded.
 */
final class AppAssembler {
    private AppAssembler() {
    }

    static AppModel assemble(BundleParts parts, BundleReadContext ctx, Map<String, String> extracted) {
        parts.services.forEach(service -> service.webhooks.forEach(w -> Normalisation.legacyWebhookOptions(w.config())));
        SortedSet<String> declared = SecretExtraction.secretsFile(parts, ctx, extracted);
        SecretExtraction.webhooks(parts, ctx, extracted);
        Normalisation.metadata(parts.metadata);
        Normalisation.customUserData(parts.metadata, parts.services);
        parts.triggers.forEach(trigger -> Normalisation.triggerService(trigger, parts.services, ctx));
        ctx.origin("app", parts.metadataFile);

        List<AuthProviderDef> providers = unique(parts.authProviders, p -> SecretExtraction.providerName(p.config()),
                BundleParts.Part::file, BundleParts.Part::field, "auth provider", ctx).stream()
                .peek(p -> ctx.origin("auth-provider:" + SecretExtraction.providerName(p.config()), p.file()))
                .map(p -> new AuthProviderDef(Json.of(p.config())))
                .sorted(Comparator.comparing(AuthProviderDef::name))
                .toList();
        List<FunctionDef> functions = unique(parts.functions, f -> f.config().path("name").asText(),
                BundleParts.Sourced::file, BundleParts.Sourced::field, "function", ctx).stream()
                .peek(f -> {
                    String name = f.config().path("name").asText();
                    ctx.origin("function:" + name, f.file());
                    ctx.origin("function-source:" + name, f.sourceFile());
                })
                .map(f -> new FunctionDef(Json.of(f.config()), f.source()))
                .sorted(Comparator.comparing(FunctionDef::name))
                .toList();
        List<ServiceDef> services = unique(parts.services, BundleParts.Service::name, s -> s.file, s -> "", "service", ctx).stream()
                .map(s -> service(s, ctx))
                .sorted(Comparator.comparing(ServiceDef::name))
                .toList();
        List<TriggerDef> triggers = named(parts.triggers, "trigger", "trigger:", ctx).stream()
                .map(TriggerDef::new).sorted(Comparator.comparing(TriggerDef::name)).toList();
        List<ValueDef> values = named(parts.values, "value", "value:", ctx).stream()
                .map(ValueDef::new).sorted(Comparator.comparing(ValueDef::name)).toList();
        List<EnvironmentDef> environments = parts.environments.stream()
                .peek(e -> ctx.origin("environment:" + e.tag(), e.file()))
                .map(e -> new EnvironmentDef(e.tag(), Json.of(e.config())))
                .sorted(Comparator.comparing(EnvironmentDef::tag))
                .toList();
        List<EndpointDef> endpoints = unique(parts.endpoints, p -> endpointKey(new EndpointDef(Json.of(p.config()))),
                BundleParts.Part::file, BundleParts.Part::field, "endpoint", ctx).stream()
                .map(p -> {
                    EndpointDef endpoint = new EndpointDef(Json.of(p.config()));
                    ctx.origin("endpoint:" + endpointKey(endpoint), p.file());
                    return endpoint;
                })
                .sorted(ENDPOINT_ORDER)
                .toList();

        AppModel withoutNames = new AppModel(Json.of(parts.metadata), providers, functions, services, triggers, values,
                List.of(), environments, endpoints, parts.otherFiles);
        List<String> secretNames = SecretExtraction.names(withoutNames, declared, extracted);
        return new AppModel(withoutNames.metadata(), providers, functions, services, triggers, values,
                secretNames, environments, endpoints, parts.otherFiles);
    }

    /** Endpoints in a stable order: by route, then method. */
    static final Comparator<EndpointDef> ENDPOINT_ORDER =
            Comparator.comparing(EndpointDef::route).thenComparing(EndpointDef::httpMethod);

    static String endpointKey(EndpointDef endpoint) {
        return endpoint.httpMethod() + " " + endpoint.route();
    }

    private static ServiceDef service(BundleParts.Service service, BundleReadContext ctx) {
        String name = service.name();
        ctx.origin("service:" + name, service.file);
        List<CollectionRuleDef> rules = unique(service.collectionRules,
                r -> r.config().path("database").asText() + "." + r.config().path("collection").asText(),
                BundleParts.Part::file, BundleParts.Part::field, "rule for the namespace", ctx).stream()
                .map(r -> {
                    CollectionRuleDef rule = new CollectionRuleDef(Json.of(r.config()));
                    ctx.origin("rule:" + name + "/" + rule.namespace(), r.file());
                    return rule;
                })
                .sorted(Comparator.comparing(CollectionRuleDef::namespace))
                .toList();
        Json defaultRule = null;
        if (service.defaultRule != null) {
            ctx.origin("default-rule:" + name, service.defaultRule.file());
            defaultRule = Json.of(service.defaultRule.config());
        }
        List<ServiceRuleDef> serviceRules = unique(service.serviceRules, r -> r.config().path("name").asText(),
                BundleParts.Part::file, BundleParts.Part::field, "service rule", ctx).stream()
                .map(r -> {
                    ServiceRuleDef rule = new ServiceRuleDef(Json.of(r.config()));
                    ctx.origin("service-rule:" + name + "/" + rule.name(), r.file());
                    return rule;
                })
                .sorted(Comparator.comparing(ServiceRuleDef::name))
                .toList();
        List<WebhookDef> webhooks = unique(service.webhooks, w -> w.config().path("name").asText(),
                BundleParts.Sourced::file, BundleParts.Sourced::field, "webhook", ctx).stream()
                .map(w -> {
                    WebhookDef webhook = new WebhookDef(Json.of(w.config()), w.source());
                    ctx.origin("webhook:" + name + "/" + webhook.name(), w.file());
                    ctx.origin("webhook-source:" + name + "/" + webhook.name(), w.sourceFile());
                    return webhook;
                })
                .sorted(Comparator.comparing(WebhookDef::name))
                .toList();
        return new ServiceDef(Json.of(service.config), rules, defaultRule, serviceRules, webhooks);
    }

    /** Unique-by-name configs of a simple kind (triggers, values), their origins recorded. */
    private static List<Json> named(List<BundleParts.Part> parts, String label, String originPrefix, BundleReadContext ctx) {
        return unique(parts, p -> p.config().path("name").asText(), BundleParts.Part::file, BundleParts.Part::field, label, ctx)
                .stream()
                .peek(p -> ctx.origin(originPrefix + p.config().path("name").asText(), p.file()))
                .map(p -> Json.of(p.config()))
                .toList();
    }

    /** The parts with distinct keys, in reading order; every later duplicate is an error and skipped. */
    private static <P> List<P> unique(List<P> parts, Function<P, String> key, Function<P, String> file,
                                      Function<P, String> field, String label, BundleReadContext ctx) {
        Map<String, String> firstFile = new HashMap<>();
        List<P> kept = new ArrayList<>();
        for (P part : parts) {
            String k = key.apply(part);
            String first = firstFile.putIfAbsent(k, file.apply(part));
            if (first == null) {
                kept.add(part);
            } else {
                ctx.error(file.apply(part), field.apply(part), "duplicate " + label + " '" + k + "' (already defined in "
                        + first + "); this one is skipped, rename or remove one of them");
            }
        }
        return kept;
    }
}
