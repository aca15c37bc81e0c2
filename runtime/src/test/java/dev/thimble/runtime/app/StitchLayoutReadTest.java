package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the native Stitch 2018 layout (STITCH-SPEC §1A) and realm-cli v1's config.json, which shares its tree. */
class StitchLayoutReadTest {
    private static final LoadResult FULL = Fixtures.read("stitch-full");
    private static final AppModel APP = FULL.app();

    @Test
    void stitchJsonIsReadAsTheStitch2018Layout() {
        assertThat(FULL.layout()).isEqualTo(Layout.STITCH_2018);
    }

    @Test
    void theFullBundleHasNoErrorsAndWarnsOnlyAboutTheSecretValuesItHolds() {
        assertThat(Fixtures.where(FULL)).containsExactly(
                "WARNING secrets.json []",
                "WARNING services/github/incoming_webhooks/onPush/config.json [options.secret]",
                "WARNING services/http/incoming_webhooks/find/config.json [options.secret]");
        assertThat(FULL.problems().getFirst().reason()).isEqualTo(
                "secrets.json holds secret values; they belong in the local secret store (`thimble secrets set`) and are not written back");
    }

    @Test
    void everyEntityOfTheTreeIsReadAndListedByName() {
        assertThat(APP.authProviders()).map(AuthProviderDef::name).containsExactly(
                "anon-user", "api-key", "custom-function", "custom-token", "local-userpass", "oauth2-google");
        assertThat(APP.functions()).map(FunctionDef::name).containsExactly("addToCart", "isOwner", "legacy/helper");
        assertThat(APP.services()).map(ServiceDef::name).containsExactly(
                "aws", "gcm", "github", "http", "mongodb-atlas", "mongodb-local", "s3", "ses", "twilio");
        assertThat(APP.triggers()).map(TriggerDef::name).containsExactly("nightly", "notifyOnOrder", "onLogin");
        assertThat(APP.values()).map(ValueDef::name).containsExactly("adminSettings", "externalApiKey", "storeEmail");
        assertThat(APP.endpoints()).map(e -> e.httpMethod() + " " + e.route()).containsExactly("GET /items", "POST /orders");
        assertThat(APP.environments()).isEmpty();
    }

    @Test
    void rootConfigBecomesTheMetadataWithoutConfigVersionAndWithTheCustomUserDataServiceNamed() {
        assertThat(APP.metadata()).isEqualTo(Json.parse("""
                { "app_id": "todo-abcde", "name": "todo", "location": "US-VA", "deployment_model": "GLOBAL",
                  "security": { "allowed_request_origins": ["http://localhost:8080"] },
                  "hosting": { "enabled": true, "custom_domain": "", "app_default_domain": "todo-abcde.mongodbstitch.com" },
                  "custom_user_data_config": { "enabled": true, "mongo_service_name": "mongodb-atlas",
                      "database_name": "app", "collection_name": "users", "user_id_field": "user_id" },
                  "sync": { "development_mode_enabled": false },
                  "realm_config": { "development_mode_enabled": false } }"""));
    }

    @Test
    void customUserDataServiceIdResolvesToServiceName() {
        assertThat(APP.customUserData().text("mongo_service_name")).isEqualTo("mongodb-atlas");
        assertThat(APP.customUserData().has("mongo_service_id")).isFalse();
    }

    @Test
    void functionNamesComeFromTheConfigAndNestInFolders() {
        FunctionDef nested = APP.function("legacy/helper").orElseThrow();
        assertThat(nested.config()).isEqualTo(Json.parse("""
                { "id": "5a1100000000000000000003", "name": "legacy/helper", "private": true }"""));
        assertThat(nested.source()).isEqualTo("exports = function() { return \"from a nested function\"; };\n");
        assertThat(FULL.origin("function:legacy/helper", "")).isEqualTo("functions/legacy/helper/config.json");
    }

    @Test
    void functionSourceIsHeldExactlyAsInTheFile() {
        String onDisk = Fixtures.text(Fixtures.bundle("stitch-full").resolve("functions/isOwner/source.js"));
        assertThat(APP.function("isOwner").orElseThrow().source()).isEqualTo(onDisk);
    }

    @Test
    void underscoreIdBecomesId() {
        Json google = APP.authProvider("oauth2-google").orElseThrow().config();
        assertThat(google.text("id")).isEqualTo("5a0300000000000000000103");
        assertThat(google.has("_id")).isFalse();
    }

    @Test
    void mongoServicesCarryCollectionRulesAndTheirDefaultRule() {
        ServiceDef atlas = APP.service("mongodb-atlas").orElseThrow();
        assertThat(atlas.collectionRules()).map(CollectionRuleDef::namespace).containsExactly("app.users", "todo.items");
        assertThat(atlas.serviceRules()).isEmpty();
        assertThat(atlas.defaultRule()).isEqualTo(Json.parse("""
                { "roles": [ { "name": "readAll", "apply_when": {}, "read": true, "write": false } ], "filters": [] }"""));
        assertThat(APP.service("mongodb-local").orElseThrow().collectionRules())
                .map(CollectionRuleDef::namespace).containsExactly("local.logs");
    }

    @Test
    void otherServicesCarryServiceRulesAndWebhooks() {
        ServiceDef http = APP.service("http").orElseThrow();
        assertThat(http.collectionRules()).isEmpty();
        assertThat(http.defaultRule()).isNull();
        assertThat(http.serviceRules()).map(ServiceRuleDef::name).containsExactly("allowExample", "allowGoogle");
        assertThat(http.webhooks()).map(WebhookDef::name).containsExactly("find");
        assertThat(APP.service("twilio").orElseThrow().webhooks()).map(WebhookDef::name).containsExactly("incomingSms");
        assertThat(APP.service("s3").orElseThrow().serviceRules()).map(ServiceRuleDef::name).containsExactly("upload");
    }

    @Test
    void serviceRuleWhenGivenAsAJsonStringIsParsedIntoAnObject() {
        ServiceRuleDef rule = APP.service("http").orElseThrow().serviceRules().getFirst();
        assertThat(rule.config()).isEqualTo(Json.parse("""
                { "id": "5a6a00000000000000000002", "name": "allowExample", "actions": ["get"],
                  "when": { "%%args.url.host": { "%in": ["example.com"] } } }"""));
    }

    @Test
    void triggersKeepTheir2018Form() {
        assertThat(APP.triggers().get(2).config()).isEqualTo(Json.parse("""
                { "name": "onLogin", "type": "AUTHENTICATION", "config": { "action_type": "LOGIN", "providers": ["anon-user"] },
                  "function_name": "isOwner", "disabled": false }"""));
    }

    @Test
    void legacySecretsJsonValuesMoveToExtractedSecretsUnderTheNamesTheComponentsGive() {
        assertThat(FULL.extractedSecrets()).containsAllEntriesOf(Map.of(
                "twilioAuthToken", "TWILIO-TOKEN-VALUE",
                "googleClientSecret", "GOOGLE-SECRET-VALUE"));
        assertThat(APP.service("twilio").orElseThrow().config().obj("secret_config"))
                .isEqualTo(Json.parse("{ \"auth_token\": \"twilioAuthToken\" }"));
    }

    @Test
    void aSecretValueWithoutSecretConfigEntryIsNamedAfterItsComponentAndTheEntryIsSet() {
        assertThat(FULL.extractedSecrets()).containsEntry("service.aws.secretAccessKey", "AWS-SECRET-VALUE");
        assertThat(APP.service("aws").orElseThrow().config().obj("secret_config"))
                .isEqualTo(Json.parse("{ \"secretAccessKey\": \"service.aws.secretAccessKey\" }"));
    }

    @Test
    void webhookInlineSecretMovesToASecretNamedAfterServiceAndWebhook() {
        WebhookDef find = APP.service("http").orElseThrow().webhooks().getFirst();
        assertThat(find.config().obj("options")).isEqualTo(Json.parse("""
                { "httpMethod": "POST", "validationMethod": "VERIFY_PAYLOAD", "secret_name": "webhook.http.find" }"""));
        assertThat(FULL.extractedSecrets()).containsEntry("webhook.http.find", "HOOK-SECRET-VALUE")
                .containsEntry("webhook.github.onPush", "GITHUB-SECRET-VALUE")
                .hasSize(5);
    }

    @Test
    void secretNamesAreTheSortedUnionOfEveryNameDeclaredOrReferenced() {
        assertThat(APP.secretNames()).containsExactly(
                "externalApiKeySecret",        // value with from_secret
                "gcmApiKey",                   // service secret_config
                "googleClientSecret",          // provider secret_config, value from secrets.json
                "hookSecret",                  // endpoint secret_name
                "jwtKeyA", "jwtKeyB",          // provider secret_config array
                "service.aws.secretAccessKey", // named for a secrets.json value without a secret_config entry
                "twilioAuthToken",
                "webhook.github.onPush", "webhook.http.find");
    }

    @Test
    void filesTheModelDoesNotHoldAreKeptVerbatimUnderTheirPath() {
        assertThat(APP.otherFiles().keySet()).containsExactly(
                "data_api_config.json", "functions/package.json", "graphql/config.json",
                "graphql/custom_resolvers/countItems.json", "hosting/files/index.html", "hosting/metadata.json",
                "log_forwarders/errors.json");
        assertThat(APP.otherFiles().get("hosting/files/index.html"))
                .isEqualTo(Fixtures.text(Fixtures.bundle("stitch-full").resolve("hosting/files/index.html")));
    }

    @Test
    void originsNameTheFileEachEntityCameFrom() {
        assertThat(FULL.origins()).containsAllEntriesOf(Map.ofEntries(
                Map.entry("app", "stitch.json"),
                Map.entry("function:addToCart", "functions/addToCart/config.json"),
                Map.entry("function-source:addToCart", "functions/addToCart/source.js"),
                Map.entry("service:mongodb-atlas", "services/mongodb-atlas/config.json"),
                Map.entry("rule:mongodb-atlas/todo.items", "services/mongodb-atlas/rules/todo.items.json"),
                Map.entry("default-rule:mongodb-atlas", "services/mongodb-atlas/default_rule.json"),
                Map.entry("service-rule:http/allowGoogle", "services/http/rules/allowGoogle.json"),
                Map.entry("webhook:http/find", "services/http/incoming_webhooks/find/config.json"),
                Map.entry("webhook-source:http/find", "services/http/incoming_webhooks/find/source.js"),
                Map.entry("trigger:onLogin", "triggers/onLogin.json"),
                Map.entry("value:storeEmail", "values/storeEmail.json"),
                Map.entry("auth-provider:oauth2-google", "auth_providers/oauth2-google.json"),
                Map.entry("endpoint:POST /orders", "http_endpoints/config.json")));
    }

    @Test
    void realmV1ConfigJsonIsReadWithTheStitchTreeIncludingTheDefaultRule() {
        LoadResult v1 = Fixtures.read("realm-v1");
        assertThat(v1.layout()).isEqualTo(Layout.REALM_V1);
        assertThat(v1.problems()).isEmpty();
        assertThat(v1.app().metadata().has("config_version")).isFalse();
        assertThat(v1.app().location()).isEqualTo("IE");
        ServiceDef atlas = v1.app().service("mongodb-atlas").orElseThrow();
        assertThat(atlas.defaultRule().get("roles").get(0).get("name").asText()).isEqualTo("default");
        assertThat(atlas.collectionRules()).map(CollectionRuleDef::namespace).containsExactly("shop.products");
        assertThat(v1.app().otherFiles().keySet()).isEqualTo(java.util.Set.of("graphql/config.json", "sync/config.json"));
        assertThat(v1.origin("app", "")).isEqualTo("config.json");
        assertThat(List.of(v1.app().functions().getFirst().name())).containsExactly("resetFunc");
    }
}
