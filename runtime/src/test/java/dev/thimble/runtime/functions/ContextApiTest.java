package dev.thimble.runtime.functions;

import org.bson.BsonBoolean;
import org.bson.BsonInt32;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonUndefined;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code context} global, apart from services (see {@link MongoServiceTest}) and run-as (see {@link RunAsTest}). */
class ContextApiTest {
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        engine = FunctionEngine.builder(TestApp.app()
                        .metadata("{\"name\":\"todo\",\"app_id\":\"todo-thmbl\",\"location\":\"US-VA\",\"deployment_model\":\"GLOBAL\","
                                + "\"environment\":\"development\"}")
                        .value("maxItemLength", "200", false)
                        .value("limits", "{\"a\": [1, 2], \"b\": null}", false)
                        .value("stripeKey", "\"stripe-secret\"", true)
                        .value("missingSecret", "\"not-in-store\"", true)
                        .environment("development", "{\"clusterName\": \"dev-cluster\", \"retries\": 3}")
                        .environment("production", "{\"clusterName\": \"prod-cluster\"}")
                        .service("mongodb-atlas", "mongodb-atlas")
                        .service("sms", "twilio")
                        .function("eval", "exports = function(source) { return (0, eval)(source); };")
                        .build())
                .secrets(name -> name.equals("stripe-secret") ? Optional.of("sk_test_123") : Optional.empty())
                .limits(Functions.TEST_LIMITS)
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static FunctionResult eval(String source) {
        return run(engine, "eval", new BsonString(source));
    }

    @Test
    void valuesGetReturnsPlainJsonValues() {
        assertThat(value(engine, "eval", new BsonString("[context.values.get('maxItemLength'), context.values.get('limits')]")))
                .isEqualTo(ejson("[200, {\"a\": [1, 2], \"b\": null}]"));
    }

    @Test
    void aValueFromASecretResolvesThroughTheSecretsLookup() {
        assertThat(value(engine, "eval", new BsonString("context.values.get('stripeKey')"))).isEqualTo(new BsonString("sk_test_123"));
    }

    @Test
    void unknownValuesAndSecretsWithoutAValueAreUndefined() {
        assertThat(value(engine, "eval", new BsonString("[context.values.get('nope') === undefined, context.values.get('missingSecret') === undefined]")))
                .isEqualTo(ejson("[true, true]"));
    }

    @Test
    void environmentHasTheAppsTagAndThatEnvironmentsValues() {
        assertThat(value(engine, "eval", new BsonString("context.environment")))
                .isEqualTo(ejson("{\"tag\": \"development\", \"values\": {\"clusterName\": \"dev-cluster\", \"retries\": 3}}"));
    }

    @Test
    void userIsTheCallingUserWithAllItsFields() {
        assertThat(value(engine, "eval", new BsonString("context.user"))).isEqualTo(BsonDocument.parse("""
                {"id": "alice-id", "type": "normal", "data": {"email": "alice@example.com"},
                 "identities": [{"id": "alice-identity", "provider_type": "local-userpass"}],
                 "custom_data": {"plan": "gold"}}"""));
    }

    @Test
    void requestIsTheCallersRequestWithoutTheSecretQueryParameter() {
        RequestInfo request = new RequestInfo("10.0.0.7", Map.of("User-Agent", List.of("test-agent")), null, "POST",
                "list=1&secret=s3cr3t&page=2", "https://app.example/", "test-agent", null, null);
        FunctionResult result = engine.execute("eval", List.of(new BsonString("context.request")),
                ExecutionRequest.asUser(ALICE).withRequest(request));
        assertThat(result.value()).isEqualTo(ejson("""
                {"remoteIPAddress": "10.0.0.7", "requestHeaders": {"User-Agent": ["test-agent"]}, "httpMethod": "POST",
                 "rawQueryString": "list=1&page=2", "httpReferrer": "https://app.example/", "httpUserAgent": "test-agent"}
                """));
    }

    @Test
    void appDescribesTheApp() {
        assertThat(value(engine, "eval", new BsonString("context.app"))).isEqualTo(ejson("""
                {"id": "", "clientAppId": "todo-thmbl", "name": "todo", "projectId": "",
                 "deployment": {"model": "GLOBAL", "providerRegion": "US-VA"}}
                """));
    }

    @Test
    void runningAsSystemIsFalseForAUserAndTrueForSystem() {
        assertThat(value(engine, "eval", new BsonString("context.runningAsSystem()"))).isEqualTo(BsonBoolean.FALSE);
        assertThat(engine.execute("eval", List.of(new BsonString("context.runningAsSystem()")), ExecutionRequest.asSystem()).value())
                .isEqualTo(BsonBoolean.TRUE);
    }

    @Test
    void servicesGetOfAnUnknownNameIsUndefined() {
        assertThat(value(engine, "eval", new BsonString("context.services.get('nope')"))).isEqualTo(new BsonUndefined());
    }

    @Test
    void servicesGetOfATwilioServiceGivesItsSendAction() {
        assertThat(value(engine, "eval", new BsonString("typeof context.services.get('sms').send"))).isEqualTo(new BsonString("function"));
    }

    @Test
    void contextHttpWithoutAServiceRegistryFailsClearly() {
        assertThat(eval("context.http.get({ url: 'https://example.com' })").error().message())
                .isEqualTo("context.http cannot be reached from this runtime (no service registry is configured)");
    }

    @Test
    void contextPropertiesCanBeReplacedByUserCodeWithoutBreakingTheExecution() {
        assertThat(value(engine, "eval", new BsonString("context.user = { id: 'x' }; context.user.id"))).isEqualTo(new BsonString("x"));
        assertThat(value(engine, "eval", new BsonString("context.values.get('maxItemLength')"))).isEqualTo(new BsonInt32(200));
    }
}
