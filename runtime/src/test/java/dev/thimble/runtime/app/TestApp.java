package dev.thimble.runtime.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Builds app models for tests, one {@code Json.parse} per entity; no bundle reader involved. */
final class TestApp {

    static final String SOURCE = "exports = function(arg) { return arg; };";

    private Json metadata = Json.parse("{\"name\": \"todo\", \"app_id\": \"todo-abcde\"}");
    private final List<AuthProviderDef> providers = new ArrayList<>();
    private final List<FunctionDef> functions = new ArrayList<>();
    private final List<ServiceDef> services = new ArrayList<>();
    private final List<TriggerDef> triggers = new ArrayList<>();
    private final List<ValueDef> values = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final List<EndpointDef> endpoints = new ArrayList<>();
    private final Map<String, String> origins = new HashMap<>();
    private final List<Problem> readProblems = new ArrayList<>();

    static TestApp app() {
        return new TestApp();
    }

    TestApp metadata(String json) {
        metadata = Json.parse(json);
        return this;
    }

    TestApp provider(String json) {
        providers.add(new AuthProviderDef(Json.parse(json)));
        return this;
    }

    /** Functions named {@code names}, each with a valid source. */
    TestApp functions(String... names) {
        for (String name : names) {
            function(name, SOURCE);
        }
        return this;
    }

    TestApp function(String name, String source) {
        return functionConfig("{\"name\": \"" + name + "\"}", source);
    }

    TestApp functionConfig(String json, String source) {
        functions.add(new FunctionDef(Json.parse(json), source));
        return this;
    }

    TestApp service(ServiceDef service) {
        services.add(service);
        return this;
    }

    /** A mongodb-atlas service with collection rules (JSON documents with database and collection). */
    TestApp mongo(String name, String... rules) {
        return service(new ServiceDef(Json.parse("{\"name\": \"" + name + "\", \"type\": \"mongodb-atlas\"}"),
                Arrays.stream(rules).map(TestApp::rule).toList(), null, List.of(), List.of()));
    }

    static CollectionRuleDef rule(String json) {
        return new CollectionRuleDef(Json.parse(json));
    }

    static ServiceRuleDef serviceRule(String json) {
        return new ServiceRuleDef(Json.parse(json));
    }

    static WebhookDef webhook(String json, String source) {
        return new WebhookDef(Json.parse(json), source);
    }

    /** An http service with service rules and webhooks. */
    static ServiceDef http(String name, List<ServiceRuleDef> rules, List<WebhookDef> webhooks) {
        return new ServiceDef(Json.parse("{\"name\": \"" + name + "\", \"type\": \"http\"}"), List.of(), null, rules, webhooks);
    }

    TestApp trigger(String json) {
        triggers.add(new TriggerDef(Json.parse(json)));
        return this;
    }

    TestApp value(String json) {
        values.add(new ValueDef(Json.parse(json)));
        return this;
    }

    TestApp secrets(String... names) {
        secrets.addAll(List.of(names));
        return this;
    }

    TestApp endpoint(String json) {
        endpoints.add(new EndpointDef(Json.parse(json)));
        return this;
    }

    TestApp origin(String key, String file) {
        origins.put(key, file);
        return this;
    }

    TestApp readProblem(Problem problem) {
        readProblems.add(problem);
        return this;
    }

    AppModel model() {
        return new AppModel(metadata, providers, functions, services, triggers, values, secrets, List.of(), endpoints,
                new TreeMap<>());
    }

    LoadResult load() {
        return new LoadResult(model(), Layout.STITCH_2018, readProblems, origins, Map.of());
    }

    /** All problems, secrets' values unknown. */
    List<Problem> validate() {
        return new BundleValidator().validate(load());
    }

    List<Problem> validate(Set<String> secretsWithValues) {
        return new BundleValidator().validate(load(), secretsWithValues);
    }

    List<Problem> errors() {
        return validate().stream().filter(Problem::isError).toList();
    }
}
