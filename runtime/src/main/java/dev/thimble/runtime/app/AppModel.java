package dev.thimble.runtime.app;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One app, as an immutable value: everything an app bundle holds except secret values.
 * Reading a bundle in any supported layout gives one of these; writing one gives a bundle in the
 * Stitch layout. Lists keep a stable order (by name) so two writes of the same model are identical.
 *
 * @param metadata     the root config ({@code stitch.json}): name, client app id, location,
 *                     deployment model, security, custom user data config, environment tag
 * @param secretNames  names of secrets the app refers to or declares; values live in the local
 *                     secret store, never here
 * @param otherFiles   files Thimble does not model yet (hosting, graphql, sync, log forwarders, …),
 *                     by bundle-relative path, kept verbatim so they survive a round trip
 */
public record AppModel(
        Json metadata,
        List<AuthProviderDef> authProviders,
        List<FunctionDef> functions,
        List<ServiceDef> services,
        List<TriggerDef> triggers,
        List<ValueDef> values,
        List<String> secretNames,
        List<EnvironmentDef> environments,
        List<EndpointDef> endpoints,
        SortedMap<String, String> otherFiles) {

    public AppModel {
        authProviders = List.copyOf(authProviders);
        functions = List.copyOf(functions);
        services = List.copyOf(services);
        triggers = List.copyOf(triggers);
        values = List.copyOf(values);
        secretNames = List.copyOf(secretNames);
        environments = List.copyOf(environments);
        endpoints = List.copyOf(endpoints);
        otherFiles = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(otherFiles));
    }

    public String name() {
        return metadata.text("name", "");
    }

    /** The public id clients use in URLs, e.g. {@code todo-abcde}. */
    public String clientAppId() {
        return metadata.text("app_id", "");
    }

    /**
     * The location the {@code /location} route reports: the root config's {@code location}, else the
     * location code of its {@code provider_region} (App Services' root_config.json), else US-VA.
     */
    public String location() {
        String location = metadata.text("location", "");
        if (!location.isEmpty()) {
            return location;
        }
        String region = metadata.text("provider_region", "");
        return region.isEmpty() ? "US-VA" : ProviderRegions.locationOf(region);
    }

    /** The cloud region the app was deployed in ({@code provider_region}, e.g. aws-eu-west-1), or "" when it names none. */
    public String providerRegion() {
        return metadata.text("provider_region", "");
    }

    public String deploymentModel() {
        return metadata.text("deployment_model", "GLOBAL");
    }

    /** The environment tag: "" or development, testing, qa, production. */
    public String environmentTag() {
        return metadata.text("environment", "");
    }

    /**
     * The origins browsers may call the app's client API from ({@code security.allowed_request_origins},
     * each {@code scheme://host[:port]}); empty means any origin, as on the vendor's servers.
     */
    public List<String> allowedRequestOrigins() {
        com.fasterxml.jackson.databind.JsonNode origins = metadata.obj("security").get("allowed_request_origins");
        if (origins == null || !origins.isArray()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        origins.forEach(o -> {
            if (o.isTextual() && !o.asText().isBlank()) {
                out.add(o.asText());
            }
        });
        return List.copyOf(out);
    }

    /** The custom user data config (may be empty: custom user data off). */
    public Json customUserData() {
        return metadata.obj("custom_user_data_config");
    }

    public Optional<FunctionDef> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public Optional<ServiceDef> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<ValueDef> value(String name) {
        return values.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public Optional<AuthProviderDef> authProvider(String name) {
        return authProviders.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
