package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Importing the realm-cli v2 and App Services layouts (STITCH-SPEC §1B) into the Stitch-form model. */
class AppServicesImportTest {
    private static final LoadResult V2 = Fixtures.read("realm-v2");
    private static final AppModel APP = V2.app();

    @Test
    void realmConfigJsonIsImportedWithoutProblems() {
        assertThat(V2.layout()).isEqualTo(Layout.REALM_V2);
        assertThat(V2.problems()).isEmpty();
    }

    @Test
    void realmConfigAllowedOriginsMoveUnderSecurityAndTheEnvironmentTagIsKept() {
        assertThat(APP.metadata()).isEqualTo(Json.parse("""
                { "app_id": "workerpool-boxgs", "name": "WorkerPool", "location": "US-VA", "deployment_model": "GLOBAL",
                  "environment": "production",
                  "security": { "allowed_request_origins": ["http://localhost:8080"] },
                  "custom_user_data_config": { "enabled": true, "mongo_service_name": "mongodb-atlas", "database_name": "pool",
                      "collection_name": "users", "user_id_field": "_id", "on_user_creation_function_name": "" } }"""));
    }

    @Test
    void authProvidersJsonIsKeyedByNameAndAnEntryWithoutNameTakesItsKey() {
        assertThat(APP.authProviders()).map(AuthProviderDef::name)
                .containsExactly("anon-user", "api-key", "custom-token", "local-userpass");
        assertThat(APP.authProvider("api-key").orElseThrow().config())
                .isEqualTo(Json.parse("{ \"type\": \"api-key\", \"disabled\": true, \"name\": \"api-key\" }"));
        assertThat(V2.origin("auth-provider:local-userpass", "")).isEqualTo("auth/providers.json");
    }

    @Test
    void dataSourcesBecomeMongoServicesWithRulesSchemaAndRelationships() {
        ServiceDef atlas = APP.service("mongodb-atlas").orElseThrow();
        assertThat(atlas.collectionRules()).map(CollectionRuleDef::namespace).containsExactly("pool.queue", "pool.workers");
        assertThat(atlas.collectionRules().getFirst().config()).isEqualTo(Json.parse("""
                { "collection": "queue", "database": "pool",
                  "roles": [ { "name": "worker", "apply_when": { "%%user.custom_data.isWorker": true },
                               "document_filters": { "read": true, "write": { "owner_id": "%%user.id" } },
                               "read": true, "write": true, "insert": true, "delete": true, "search": true } ],
                  "schema": { "title": "Job", "bsonType": "object", "required": ["_id"],
                              "properties": { "_id": { "bsonType": "objectId" }, "owner_id": { "bsonType": "string" },
                                              "worker_id": { "bsonType": "objectId" } } },
                  "relationships": { "worker_id": { "ref": "#/relationship/mongodb-atlas/pool/workers",
                                                    "source_key": "worker_id", "foreign_key": "_id", "is_list": false } } }"""));
        assertThat(atlas.defaultRule().get("roles").get(0).get("name").asText()).isEqualTo("readAll");
        assertThat(V2.origin("rule:mongodb-atlas/pool.queue", "")).isEqualTo("data_sources/mongodb-atlas/pool/queue/rules.json");
        assertThat(V2.origin("default-rule:mongodb-atlas", "")).isEqualTo("data_sources/mongodb-atlas/default_rule.json");
    }

    @Test
    void aCollectionWithOnlyASchemaGetsARuleNamedByItsPath() {
        CollectionRuleDef workers = APP.service("mongodb-atlas").orElseThrow().collectionRules().get(1);
        assertThat(workers.config()).isEqualTo(Json.parse("""
                { "database": "pool", "collection": "workers",
                  "schema": { "title": "Worker", "bsonType": "object",
                              "properties": { "_id": { "bsonType": "objectId" }, "name": { "bsonType": "string" } } } }"""));
        assertThat(V2.origin("rule:mongodb-atlas/pool.workers", "")).isEqualTo("data_sources/mongodb-atlas/pool/workers/schema.json");
    }

    @Test
    void functionsConfigArrayWithSourcesInNestedFolders() {
        assertThat(APP.functions()).map(FunctionDef::name)
                .containsExactly("addJobToQueue", "monitorTrigger", "resetFunc", "utils/format");
        FunctionDef format = APP.function("utils/format").orElseThrow();
        assertThat(format.source()).isEqualTo("exports = (value) => `[${value}]`;\n");
        assertThat(format.config()).isEqualTo(Json.parse("{ \"name\": \"utils/format\", \"private\": false, \"can_evaluate\": {} }"));
        assertThat(V2.origin("function:utils/format", "")).isEqualTo("functions/config.json");
        assertThat(V2.origin("function-source:utils/format", "")).isEqualTo("functions/utils/format.js");
    }

    @Test
    void triggerServiceIdResolvesToServiceName() {
        Json trigger0 = APP.triggers().stream().filter(t -> t.name().equals("trigger0")).findFirst().orElseThrow().config();
        assertThat(trigger0.obj("config").text("service_name")).isEqualTo("mongodb-atlas");
        assertThat(trigger0.obj("config").has("service_id")).isFalse();
    }

    @Test
    void eventProcessorFunctionMovesToTopLevelFunctionName() {
        Json trigger0 = APP.triggers().stream().filter(t -> t.name().equals("trigger0")).findFirst().orElseThrow().config();
        assertThat(trigger0.text("function_name")).isEqualTo("monitorTrigger");
        assertThat(trigger0.has("event_processors")).isFalse();
        assertThat(trigger0.obj("error_handler")).isEqualTo(Json.parse("{ \"config\": { \"enabled\": false, \"function_name\": \"\" } }"));
    }

    @Test
    void otherEventProcessorsStayAsTheyAre() {
        Json bridge = APP.triggers().stream().filter(t -> t.name().equals("toEventBridge")).findFirst().orElseThrow().config();
        assertThat(bridge.has("function_name")).isFalse();
        assertThat(bridge.obj("event_processors")).isEqualTo(Json.parse("""
                { "AWS_EVENTBRIDGE": { "config": { "account_id": "012345678901", "region": "us-east-1", "extended_json_enabled": false } } }"""));
    }

    @Test
    void authTriggerOperationTypeBecomesActionType() {
        Json onCreate = APP.triggers().getFirst().config();
        assertThat(onCreate).isEqualTo(Json.parse("""
                { "name": "onCreate", "type": "AUTHENTICATION", "disabled": false,
                  "config": { "action_type": "CREATE", "providers": ["local-userpass"] },
                  "function_name": "addJobToQueue" }"""));
    }

    @Test
    void endpointsFromHttpAndHttpsEndpointFoldersAreMerged() {
        assertThat(APP.endpoints()).map(e -> e.httpMethod() + " " + e.route() + " -> " + e.functionName())
                .containsExactly("GET /health -> monitorTrigger", "POST /jobs -> addJobToQueue");
        assertThat(V2.origin("endpoint:GET /health", "")).isEqualTo("https_endpoints/config.json");
    }

    @Test
    void legacyHttpServiceUnderHttpEndpointsKeepsItsWebhooks() {
        ServiceDef legacy = APP.service("legacyHttp").orElseThrow();
        assertThat(legacy.type()).isEqualTo("http");
        assertThat(legacy.webhooks()).map(WebhookDef::name).containsExactly("status");
        assertThat(V2.origin("webhook-source:legacyHttp/status", ""))
                .isEqualTo("http_endpoints/legacyHttp/incoming_webhooks/status/source.js");
        assertThat(APP.services()).map(ServiceDef::name).containsExactly("github", "legacyHttp", "mongodb-atlas");
    }

    @Test
    void environmentsAreReadByTag() {
        assertThat(APP.environments()).map(EnvironmentDef::tag).containsExactly("development", "no-environment", "production");
        assertThat(APP.environments().get(2).values()).isEqualTo(Json.parse("{ \"baseUrl\": \"https://api.example.com\" }"));
    }

    @Test
    void secretNamesComeFromEndpointsProvidersAndSecretValues() {
        assertThat(APP.secretNames()).containsExactly("jobsEndpointSecret", "jwtSigningKey", "slackTokenSecret");
        assertThat(V2.extractedSecrets()).isEmpty();
    }

    @Test
    void filesTheModelDoesNotHoldKeepTheirPaths() {
        assertThat(APP.otherFiles().keySet()).containsExactly(
                "functions/package.json", "graphql/config.json", "graphql/validation_settings.json", "hosting/config.json",
                "http_endpoints/data_api_config.json", "log_forwarders/lf.json", "sync/config.json");
    }

    @Test
    void rootConfigWithoutAppIdGetsADeterministicClientAppIdWithAWarning() {
        LoadResult first = Fixtures.read("app-services");
        assertThat(first.layout()).isEqualTo(Layout.APP_SERVICES);
        assertThat(first.app().clientAppId()).matches("my-app-[a-z]{5}");
        assertThat(Fixtures.read("app-services").app().clientAppId()).isEqualTo(first.app().clientAppId());
        assertThat(Fixtures.where(first)).containsExactly("WARNING root_config.json [app_id]");
    }

    @Test
    void rootConfigKeepsProviderRegionAndTheEnvironment() {
        AppModel app = Fixtures.read("app-services").app();
        assertThat(app.metadata().without("app_id")).isEqualTo(Json.parse("""
                { "name": "My App", "provider_region": "aws-eu-west-1", "deployment_model": "LOCAL", "environment": "development",
                  "custom_user_data_config": { "enabled": false } }"""));
    }

    @Test
    void httpsEndpointsOtherFilesMoveToHttpEndpoints() {
        AppModel app = Fixtures.read("app-services").app();
        assertThat(app.otherFiles().keySet()).containsExactly("http_endpoints/data_api_config.json");
        assertThat(app.endpoints()).map(EndpointDef::route).containsExactly("/summary");
        assertThat(app.triggers().getFirst().functionName()).isEqualTo("notes/summarise");
    }

    @Test
    void unresolvableTriggerServiceIdIsAnErrorAndTheIdIsKept(@TempDir Path dir) {
        Fixtures.write(dir.resolve("realm_config.json"), "{ \"app_id\": \"x-abcde\", \"config_version\": 20210101, \"name\": \"x\" }");
        Fixtures.write(dir.resolve("triggers/t.json"), """
                { "name": "t", "type": "DATABASE", "config": { "service_id": "60a0ffffffffffffffffffff", "database": "d", "collection": "c" },
                  "event_processors": { "FUNCTION": { "config": { "function_name": "f" } } } }""");
        LoadResult result = AppBundles.read(dir);
        assertThat(Fixtures.where(result)).containsExactly("ERROR triggers/t.json [config.service_id]");
        assertThat(result.problems().getFirst().reason()).contains("60a0ffffffffffffffffffff").contains("service_name");
        assertThat(result.app().triggers().getFirst().config().obj("config").text("service_id")).isEqualTo("60a0ffffffffffffffffffff");
    }

    @Test
    void functionListedWithoutItsSourceFileIsSkippedWithAnError(@TempDir Path dir) {
        Fixtures.write(dir.resolve("realm_config.json"), "{ \"app_id\": \"x-abcde\", \"config_version\": 20210101, \"name\": \"x\" }");
        Fixtures.write(dir.resolve("functions/config.json"), "[ { \"name\": \"here\" }, { \"name\": \"gone\" } ]");
        Fixtures.write(dir.resolve("functions/here.js"), "exports = () => 1;\n");
        Fixtures.write(dir.resolve("functions/stray.js"), "exports = () => 2;\n");
        LoadResult result = AppBundles.read(dir);
        assertThat(Fixtures.where(result)).containsExactly(
                "ERROR functions/config.json [[1].name]",
                "WARNING functions/stray.js []");
        assertThat(result.app().functions()).map(FunctionDef::name).containsExactly("here");
        assertThat(result.app().otherFiles()).isEqualTo(Map.of("functions/stray.js", "exports = () => 2;\n"));
    }
}
