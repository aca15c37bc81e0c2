package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.thimble.runtime.app.TestApp.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The validator as a whole, app metadata, names, providers, services, values, secrets and endpoints. */
class BundleValidatorTest {

    private static final String FUNCTIONS = "functions in this app: addItem, notify";

    @Test
    void realisticAppHasNoProblems() {
        assertThat(RealisticApp.app().validate(Set.of("hookSecret", "slackTokenSecret"))).isEmpty();
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        List<Problem> problems = RealisticApp.app()
                .trigger("""
                        {"name": "mailer", "type": "SCHEDULED", "function_name": "sendMail", "config": {"schedule": "0 * * * *"}}""")
                .function("broken", "exports = function() {\n  return (1 + ;\n};")
                .mongo("archive", """
                        {"database": "todo", "collection": "old", "roles": [{"name": "r", "apply_when": {"_id": {"%oid": "%%user.id"}}}]}""")
                .value("""
                        {"name": "apiKey", "value": "apiKeySecret", "from_secret": true}""")
                .validate(Set.of("hookSecret", "slackTokenSecret"));

        assertThat(problems).extracting(Problem::severity, Problem::file, Problem::field).containsExactly(
                tuple(Problem.Severity.ERROR, "functions/broken/source.js", "line 2"),
                tuple(Problem.Severity.ERROR, "services/archive/rules/todo.old.json", "roles[0].apply_when._id.%oid"),
                tuple(Problem.Severity.ERROR, "triggers/mailer.json", "function_name"),
                tuple(Problem.Severity.ERROR, "values/apiKey.json", "value"));
    }

    @Test
    void problemsNameTheFileTheEntityWasReadFrom() {
        List<Problem> problems = app()
                .trigger("""
                        {"name": "nightly", "type": "SCHEDULED", "function_name": "gone", "config": {"schedule": "0 0 * * *"}}""")
                .origin("trigger:nightly", "triggers/nightly-v2.json")
                .validate();

        assertThat(problems).containsExactly(Problem.error("triggers/nightly-v2.json", "function_name",
                "function \"gone\" does not exist; this app has no functions"));
    }

    @Test
    void readProblemsComeFirstAndAreKept() {
        Problem read = Problem.warning("stitch.json", "hosting", "hosting is kept but not served");
        List<Problem> problems = app().metadata("{\"name\": \"todo\"}").readProblem(read).validate();

        assertThat(problems).containsExactly(read, Problem.error("stitch.json", "app_id",
                "\"app_id\" is missing; expected the client app id, <name>-<5 lowercase letters>, e.g. \"todo-abcde\""));
    }

    @Test
    void aProblemTheReaderAlreadyReportedIsNotRepeated() {
        Problem missingAppId = Problem.error("stitch.json", "app_id",
                "\"app_id\" is missing; expected the client app id, <name>-<5 lowercase letters>, e.g. \"todo-abcde\"");
        List<Problem> problems = app().metadata("{\"name\": \"todo\"}").readProblem(missingAppId).validate();

        assertThat(problems).containsExactly(missingAppId);
    }

    @Test
    void unreadableBundleGivesOnlyTheReadProblems() {
        Problem read = Problem.error("stitch.json", "", "not valid JSON: Unexpected end-of-input");
        LoadResult unreadable = new LoadResult(null, Layout.STITCH_2018, List.of(read), Map.of(), Map.of());

        assertThat(new BundleValidator().validate(unreadable)).containsExactly(read);
    }

    // ---- stitch.json ----

    @Test
    void missingAppNameIsAnError() {
        assertThat(app().metadata("{\"app_id\": \"todo-abcde\"}").validate())
                .containsExactly(Problem.error("stitch.json", "name", "\"name\" is missing; expected the app's name"));
    }

    @Test
    void appIdOfTheWrongShapeIsAWarning() {
        assertThat(app().metadata("{\"name\": \"todo\", \"app_id\": \"Todo_1\"}").validate())
                .containsExactly(Problem.warning("stitch.json", "app_id", "app_id \"Todo_1\" does not have the shape of a"
                        + " client app id, <name>-<5 lowercase letters> (e.g. \"todo-abcde\"); clients and webhook URLs use it"));
    }

    @Test
    void allowedRequestOriginsMustBeOriginsBrowsersSend() {
        List<Problem> problems = app().metadata("""
                {"name": "todo", "app_id": "todo-abcde", "security": {"allowed_request_origins":
                  ["https://shop.example.com", "http://localhost:3000/", 42, "http://127.0.0.1:8080"]}}""").validate();

        assertThat(problems).containsExactly(
                Problem.error("stitch.json", "security.allowed_request_origins[1]", "\"http://localhost:3000/\" is not an"
                        + " origin; write <scheme>://<host>[:port] with no path or trailing slash, as browsers send it,"
                        + " e.g. \"http://localhost:3000\""),
                Problem.error("stitch.json", "security.allowed_request_origins[2]", "42 is not an origin; write"
                        + " <scheme>://<host>[:port] with no path or trailing slash, as browsers send it, e.g. \"http://localhost:3000\""));
    }

    @Test
    void allowedRequestOriginsThatAreNotAListAreAnErrorNotAnOpenDoor() {
        assertThat(app().metadata("""
                {"name": "todo", "app_id": "todo-abcde", "security": {"allowed_request_origins": "https://shop.example.com"}}""")
                .validate())
                .containsExactly(Problem.error("stitch.json", "security.allowed_request_origins", "allowed_request_origins is a"
                        + " list of origins, e.g. [\"https://shop.example.com\"], not \"https://shop.example.com\"; an empty"
                        + " list lets every origin call"));
    }

    @Test
    void realmStyleAppIdIsFine() {
        assertThat(app().metadata("{\"name\": \"Application 0\", \"app_id\": \"application-0-tdiwe\"}").validate()).isEmpty();
    }

    @Test
    void customUserDataMustLiveInAMongoService() {
        List<Problem> problems = app()
                .metadata("""
                        {"name": "todo", "app_id": "todo-abcde", "custom_user_data_config": {"enabled": true,
                         "mongo_service_name": "http", "database_name": "todo", "collection_name": "users", "user_id_field": "user_id"}}""")
                .service(TestApp.http("http", List.of(), List.of()))
                .validate();

        assertThat(problems).containsExactly(Problem.error("stitch.json", "custom_user_data_config.mongo_service_name",
                "service \"http\" is of type \"http\"; custom user data needs a MongoDB service (mongodb-atlas or mongodb);"
                        + " this app has no MongoDB services"));
    }

    @Test
    void customUserDataNeedsItsCollectionAndUserIdField() {
        List<Problem> problems = app()
                .metadata("""
                        {"name": "todo", "app_id": "todo-abcde", "custom_user_data_config": {"enabled": true,
                         "mongo_service_name": "mongodb-atlas", "database_name": "todo", "collection_name": ""}}""")
                .mongo("mongodb-atlas")
                .validate();

        assertThat(problems).containsExactly(
                Problem.error("stitch.json", "custom_user_data_config.collection_name",
                        "\"collection_name\" is empty; expected the custom user data collection"),
                Problem.error("stitch.json", "custom_user_data_config.user_id_field",
                        "\"user_id_field\" is missing; expected the field that holds the user id, e.g. \"user_id\""));
    }

    @Test
    void customUserDataCreationFunctionMustExist() {
        List<Problem> problems = app()
                .metadata("""
                        {"name": "todo", "app_id": "todo-abcde", "custom_user_data_config": {"enabled": true,
                         "mongo_service_name": "mongodb-atlas", "database_name": "todo", "collection_name": "users",
                         "user_id_field": "user_id", "on_user_creation_function_name": "makeProfile"}}""")
                .mongo("mongodb-atlas")
                .functions("addItem", "notify")
                .validate();

        assertThat(problems).containsExactly(Problem.error("stitch.json",
                "custom_user_data_config.on_user_creation_function_name",
                "function \"makeProfile\" does not exist; " + FUNCTIONS));
    }

    @Test
    void disabledCustomUserDataIsNotChecked() {
        assertThat(app().metadata("""
                {"name": "todo", "app_id": "todo-abcde", "custom_user_data_config": {"enabled": false, "mongo_service_name": "nope"}}""")
                .validate()).isEmpty();
    }

    // ---- names ----

    @Test
    void duplicateFunctionNamesAreAnError() {
        assertThat(app().functions("notify", "notify").validate()).containsExactly(Problem.error(
                "functions/notify/config.json", "name", "another function is also named \"notify\"; function names must be unique"));
    }

    @Test
    void functionWithoutNameIsAnError() {
        assertThat(app().functionConfig("{\"private\": true}", TestApp.SOURCE).errors()).containsExactly(
                Problem.error("functions", "name", "\"name\" is missing; every function needs a unique name"));
    }

    @Test
    void duplicateValueNamesAreAnError() {
        assertThat(app().value("{\"name\": \"a\", \"value\": 1}").value("{\"name\": \"a\", \"value\": 2}").validate())
                .containsExactly(Problem.error("values/a.json", "name",
                        "another value is also named \"a\"; value names must be unique"));
    }

    @Test
    void duplicateWebhookNameInOneServiceIsAnError() {
        String hook = "{\"name\": \"in\", \"options\": {\"httpMethod\": \"POST\", \"validationMethod\": \"NO_VALIDATION\"}}";
        List<Problem> problems = app()
                .service(TestApp.http("http", List.of(), List.of(TestApp.webhook(hook, TestApp.SOURCE), TestApp.webhook(hook, TestApp.SOURCE))))
                .validate();

        assertThat(problems).containsExactly(Problem.error("services/http/incoming_webhooks/in/config.json", "name",
                "another webhook of service \"http\" is also named \"in\"; webhook names must be unique per service"));
    }

    @Test
    void sameWebhookNameInTwoServicesIsFine() {
        String hook = "{\"name\": \"in\", \"options\": {\"httpMethod\": \"POST\", \"validationMethod\": \"NO_VALIDATION\"}}";
        assertThat(app()
                .service(TestApp.http("a", List.of(), List.of(TestApp.webhook(hook, TestApp.SOURCE))))
                .service(TestApp.http("b", List.of(), List.of(TestApp.webhook(hook, TestApp.SOURCE))))
                .validate()).isEmpty();
    }

    @Test
    void duplicateEndpointRouteAndMethodIsAnError() {
        String endpoint = "{\"route\": \"/items\", \"http_method\": \"GET\", \"function_name\": \"notify\"}";
        assertThat(app().functions("notify").endpoint(endpoint).endpoint(endpoint).validate()).containsExactly(
                Problem.error("http_endpoints/config.json", "route",
                        "endpoint GET /items: another endpoint has the same route and method"));
    }

    // ---- auth providers ----

    @Test
    void unknownProviderTypeIsAWarning() {
        assertThat(app().provider("{\"name\": \"gh\", \"type\": \"oauth2-github\"}").validate()).containsExactly(
                Problem.warning("auth_providers/gh.json", "type", "unknown provider type \"oauth2-github\"; Thimble knows"
                        + " anon-user, local-userpass, api-key, custom-token, custom-function, oauth2-google, oauth2-facebook,"
                        + " oauth2-apple; nobody can log in with this provider"));
    }

    @Test
    void customFunctionProviderNeedsAnAuthFunction() {
        assertThat(app().functions("addItem", "notify").provider("{\"name\": \"custom-function\", \"type\": \"custom-function\"}")
                .validate()).containsExactly(Problem.error("auth_providers/custom-function.json", "config.authFunctionName",
                "\"authFunctionName\" is missing; expected the name of the function that authenticates users; " + FUNCTIONS));
    }

    @Test
    void customFunctionProviderFunctionMustExist() {
        assertThat(app().functions("addItem", "notify").provider("""
                {"name": "custom-function", "type": "custom-function", "config": {"authFunctionName": "login"}}""")
                .validate()).containsExactly(Problem.error("auth_providers/custom-function.json", "config.authFunctionName",
                "function \"login\" does not exist; " + FUNCTIONS));
    }

    @Test
    void privateFunctionAsCustomFunctionAuthIsFine() {
        assertThat(app().functionConfig("{\"name\": \"login\", \"private\": true}", TestApp.SOURCE).provider("""
                {"name": "custom-function", "type": "custom-function", "config": {"authFunctionName": "login"}}""")
                .validate()).isEmpty();
    }

    @Test
    void userpassConfirmationFunctionMustExistWhenItRuns() {
        assertThat(app().functions("addItem", "notify").provider("""
                {"name": "local-userpass", "type": "local-userpass",
                 "config": {"runConfirmationFunction": true, "confirmationFunctionName": "confirm"}}""")
                .validate()).containsExactly(Problem.error("auth_providers/local-userpass.json", "config.confirmationFunctionName",
                "function \"confirm\" does not exist; " + FUNCTIONS));
    }

    @Test
    void userpassResetFunctionIsRequiredWhenItRuns() {
        assertThat(app().functions("addItem", "notify").provider("""
                {"name": "local-userpass", "type": "local-userpass", "config": {"runResetFunction": true, "resetFunctionName": ""}}""")
                .validate()).containsExactly(Problem.error("auth_providers/local-userpass.json", "config.resetFunctionName",
                "\"resetFunctionName\" is empty; expected the name of the function that resets passwords (runResetFunction is true); "
                        + FUNCTIONS));
    }

    @Test
    void userpassFunctionsThatDoNotRunAreNotChecked() {
        assertThat(app().provider("""
                {"name": "local-userpass", "type": "local-userpass",
                 "config": {"runConfirmationFunction": false, "confirmationFunctionName": "gone", "runResetFunction": false}}""")
                .validate()).isEmpty();
    }

    @Test
    void providerSecretConfigMustNameKnownSecrets() {
        List<Problem> problems = app().secrets("key1").provider("""
                {"name": "custom-token", "type": "custom-token", "secret_config": {"signingKeys": ["key1", "key2"]}}""")
                .validate();

        assertThat(problems).containsExactly(Problem.error("auth_providers/custom-token.json", "secret_config.signingKeys[1]",
                "secret \"key2\" is not known; secrets in this app: key1;"
                        + " fix the name, or declare the secret with: thimble secrets set <dir> key2 (in the workbench: File > New > Secret)"));
    }

    // ---- services ----

    @Test
    void unknownServiceTypeIsAWarning() {
        List<Problem> problems = app().service(new ServiceDef(Json.parse("{\"name\": \"pay\", \"type\": \"stripe\"}"),
                List.of(), null, List.of(), List.of())).validate();

        assertThat(problems).containsExactly(Problem.warning("services/pay/config.json", "type",
                "unknown service type \"stripe\"; Thimble knows mongodb-atlas, mongodb, http, twilio, aws, aws-s3, aws-ses,"
                        + " github, gcm; functions cannot use this service"));
    }

    @Test
    void serviceSecretConfigMustNameAKnownSecret() {
        List<Problem> problems = app().secrets("twilioToken").service(new ServiceDef(Json.parse("""
                {"name": "sms", "type": "twilio", "config": {"sid": "AC1"}, "secret_config": {"auth_token": "twilioTokn"}}"""),
                List.of(), null, List.of(), List.of())).validate();

        assertThat(problems).containsExactly(Problem.error("services/sms/config.json", "secret_config.auth_token",
                "secret \"twilioTokn\" is not known; secrets in this app: twilioToken;"
                        + " fix the name, or declare the secret with: thimble secrets set <dir> twilioTokn (in the workbench: File > New > Secret)"));
    }

    @Test
    void collectionRuleUnderANonMongoServiceIsAnError() {
        List<Problem> problems = app().service(new ServiceDef(Json.parse("{\"name\": \"http\", \"type\": \"http\"}"),
                List.of(TestApp.rule("{\"database\": \"todo\", \"collection\": \"items\", \"roles\": []}")), null,
                List.of(), List.of())).validate();

        assertThat(problems).containsExactly(Problem.error("services/http/rules/todo.items.json", "",
                "collection rules apply only to MongoDB services (mongodb-atlas, mongodb); service \"http\" is of type \"http\""));
    }

    @Test
    void collectionRuleNeedsItsCollection() {
        assertThat(app().mongo("mongodb-atlas", "{\"database\": \"todo\", \"roles\": []}").validate()).containsExactly(
                Problem.error("services/mongodb-atlas/rules/todo..json", "collection",
                        "\"collection\" is missing; expected the collection the rule is for"));
    }

    @Test
    void serviceRuleWithoutActionsIsAWarning() {
        List<Problem> problems = app().service(TestApp.http("http",
                List.of(TestApp.serviceRule("{\"name\": \"any\", \"when\": {}}")), List.of())).validate();

        assertThat(problems).containsExactly(Problem.warning("services/http/rules/any.json", "actions",
                "the rule lists no actions, so it allows no call; list actions, e.g. [\"get\", \"post\"]"));
    }

    @Test
    void webhookHttpMethodMustBeKnown() {
        List<Problem> problems = app().service(TestApp.http("http", List.of(), List.of(TestApp.webhook("""
                {"name": "in", "options": {"httpMethod": "HEAD", "validationMethod": "NO_VALIDATION"}}""", TestApp.SOURCE))))
                .validate();

        assertThat(problems).containsExactly(Problem.error("services/http/incoming_webhooks/in/config.json",
                "options.httpMethod", "unknown HTTP method \"HEAD\"; expected one of GET, POST, PUT, PATCH, DELETE, *"));
    }

    @Test
    void webhookValidationMethodMustBeKnown() {
        List<Problem> problems = app().service(TestApp.http("http", List.of(), List.of(TestApp.webhook("""
                {"name": "in", "options": {"httpMethod": "POST", "validationMethod": "HMAC"}}""", TestApp.SOURCE))))
                .validate();

        assertThat(problems).containsExactly(Problem.error("services/http/incoming_webhooks/in/config.json",
                "options.validationMethod",
                "unknown validation method \"HMAC\"; expected one of NO_VALIDATION, SECRET_AS_QUERY_PARAM, VERIFY_PAYLOAD"));
    }

    @Test
    void webhookThatVerifiesThePayloadNeedsASecret() {
        List<Problem> problems = app().secrets("hookSecret").service(TestApp.http("http", List.of(), List.of(TestApp.webhook("""
                {"name": "in", "options": {"httpMethod": "POST", "validationMethod": "VERIFY_PAYLOAD"}}""", TestApp.SOURCE))))
                .validate();

        assertThat(problems).containsExactly(Problem.error("services/http/incoming_webhooks/in/config.json",
                "options.secret_name", "validationMethod VERIFY_PAYLOAD needs a secret; set \"secret_name\" to a secret's name;"
                        + " secrets in this app: hookSecret"));
    }

    @Test
    void githubWebhookNeedsNoHttpMethod() {
        List<Problem> problems = app().secrets("ghSecret").service(new ServiceDef(
                Json.parse("{\"name\": \"gh\", \"type\": \"github\"}"), List.of(), null, List.of(),
                List.of(TestApp.webhook("{\"name\": \"push\", \"options\": {\"secret_name\": \"ghSecret\"}}", TestApp.SOURCE))))
                .validate();

        assertThat(problems).isEmpty();
    }

    // ---- values and secrets ----

    @Test
    void valueFromAnUnknownSecretIsAnError() {
        assertThat(app().secrets("hookSecret").value("{\"name\": \"token\", \"value\": \"tokenSecret\", \"from_secret\": true}")
                .validate()).containsExactly(Problem.error("values/token.json", "value",
                "secret \"tokenSecret\" is not known; secrets in this app: hookSecret;"
                        + " fix the name, or declare the secret with: thimble secrets set <dir> tokenSecret (in the workbench: File > New > Secret)"));
    }

    @Test
    void secretWithoutLocalValueIsAWarningWithTheCommandToSetIt() {
        List<Problem> problems = app().secrets("hookSecret", "tokenSecret")
                .value("{\"name\": \"token\", \"value\": \"tokenSecret\", \"from_secret\": true}")
                .validate(Set.of("hookSecret"));

        assertThat(problems).containsExactly(Problem.warning("values/token.json", "value",
                "secret tokenSecret has no local value; set it with: thimble secrets set <dir> tokenSecret (in the workbench: double-click the secret in the explorer)"));
    }

    @Test
    void noLocalValueWarningsWhenWhichSecretsHaveValuesIsUnknown() {
        assertThat(app().secrets("tokenSecret").value("{\"name\": \"token\", \"value\": \"tokenSecret\", \"from_secret\": true}")
                .validate()).isEmpty();
    }

    @Test
    void anEmptySecretStoreMeansEveryReferencedSecretLacksAValue() {
        assertThat(app().secrets("tokenSecret").value("{\"name\": \"token\", \"value\": \"tokenSecret\", \"from_secret\": true}")
                .validate(Set.of())).containsExactly(Problem.warning("values/token.json", "value",
                "secret tokenSecret has no local value; set it with: thimble secrets set <dir> tokenSecret (in the workbench: double-click the secret in the explorer)"));
    }

    @Test
    void privateValueIsFine() {
        assertThat(app().value("{\"name\": \"adminIds\", \"value\": [\"a\"], \"private\": true}").validate()).isEmpty();
    }

    @Test
    void valueWithoutValueIsAnError() {
        assertThat(app().value("{\"name\": \"limit\"}").validate()).containsExactly(Problem.error("values/limit.json", "value",
                "\"value\" is missing; expected any JSON value (with from_secret: true, a secret's name)"));
    }

    // ---- endpoints ----

    @Test
    void endpointFunctionMustExist() {
        assertThat(app().functions("addItem", "notify")
                .endpoint("{\"route\": \"/orders\", \"http_method\": \"POST\", \"function_name\": \"createOrder\"}")
                .validate()).containsExactly(Problem.error("http_endpoints/config.json", "function_name",
                "endpoint POST /orders: function \"createOrder\" does not exist; " + FUNCTIONS));
    }

    @Test
    void endpointMethodAndRouteMustBeValid() {
        List<Problem> problems = app().functions("notify")
                .endpoint("{\"route\": \"orders\", \"http_method\": \"FETCH\", \"function_name\": \"notify\"}")
                .validate();

        assertThat(problems).containsExactly(
                Problem.error("http_endpoints/config.json", "route", "endpoint FETCH orders: a route starts with \"/\", e.g. \"/orders\""),
                Problem.error("http_endpoints/config.json", "http_method",
                        "endpoint FETCH orders: unknown HTTP method \"FETCH\"; expected one of GET, POST, PUT, PATCH, DELETE, *"));
    }

    @Test
    void endpointSecretMustBeKnown() {
        List<Problem> problems = app().functions("notify").secrets("hookSecret").endpoint("""
                {"route": "/in", "http_method": "POST", "function_name": "notify",
                 "validation_method": "SECRET_AS_QUERY_PARAM", "secret_name": "hookSecrt"}""")
                .validate();

        assertThat(problems).containsExactly(Problem.error("http_endpoints/config.json", "secret_name",
                "endpoint POST /in: secret \"hookSecrt\" is not known; secrets in this app: hookSecret;"
                        + " fix the name, or declare the secret with: thimble secrets set <dir> hookSecrt (in the workbench: File > New > Secret)"));
    }
}
