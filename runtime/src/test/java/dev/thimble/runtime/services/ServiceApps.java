package dev.thimble.runtime.services;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.EndpointDef;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.app.WebhookDef;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Builds small apps for the services tests and serves them on the embedded database. */
final class ServiceApps {
    private final List<FunctionDef> functions = new ArrayList<>();
    private final List<ServiceDef> services = new ArrayList<>();
    private final List<EndpointDef> endpoints = new ArrayList<>();
    private final List<AuthProviderDef> providers = new ArrayList<>();
    private String metadata = "{\"app_id\": \"svc-abcde\", \"name\": \"svc\"}";

    ServiceApps metadata(String json) {
        metadata = json;
        return this;
    }

    static ServiceApps app() {
        return new ServiceApps();
    }

    ServiceApps function(String name, String source) {
        return function("{\"name\": \"" + name + "\"}", name, source);
    }

    ServiceApps function(String config, String name, String source) {
        functions.add(new FunctionDef(Json.parse(config), source));
        return this;
    }

    /** A service with rules ({name, actions, when}) and webhooks. */
    ServiceApps service(String name, String type, List<String> rules, List<WebhookDef> webhooks) {
        services.add(new ServiceDef(Json.parse("{\"name\": \"" + name + "\", \"type\": \"" + type + "\", \"config\": {}}"), List.of(), null,
                rules.stream().map(r -> new ServiceRuleDef(Json.parse(r))).toList(), webhooks));
        return this;
    }

    /** A service from its whole config.json (e.g. with secret_config). */
    ServiceApps serviceConfig(String configJson, List<WebhookDef> webhooks) {
        services.add(new ServiceDef(Json.parse(configJson), List.of(), null, List.of(), webhooks));
        return this;
    }

    ServiceApps mongo() {
        services.add(new ServiceDef(Json.parse("{\"name\": \"mongodb-atlas\", \"type\": \"mongodb-atlas\", \"config\": {}}"),
                List.of(), null, List.of(), List.of()));
        return this;
    }

    ServiceApps endpoint(String json) {
        endpoints.add(new EndpointDef(Json.parse(json)));
        return this;
    }

    ServiceApps provider(String json) {
        providers.add(new AuthProviderDef(Json.parse(json)));
        return this;
    }

    static WebhookDef webhook(String config, String source) {
        return new WebhookDef(Json.parse(config), source);
    }

    AppModel model() {
        return new AppModel(Json.parse(metadata), providers, functions, services,
                List.of(), List.of(), List.of(), List.of(), endpoints, new TreeMap<>());
    }

    AppHost start(Path dir, SecretStore secrets) {
        return AppHost.start(model(), AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")), secrets));
    }
}
