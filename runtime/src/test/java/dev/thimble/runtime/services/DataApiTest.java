package dev.thimble.runtime.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.CollectionRuleDef;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Data API over real HTTP on a real runtime: every action, every authentication header form,
 * both return types, the config's settings and its validation methods, all under the app's rules
 * (a user sees and writes only their own notes) and with a log record per request.
 */
class DataApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String JWT_KEY = "data-api-tests-jwt-signing-key-0123456789";
    private static final String SECRET = "data-api-s3cret";
    private static final String ANN_EMAIL = "ann@example.com";
    private static final String PASSWORD = "password123";

    @TempDir
    static Path dir;
    static AppHost host;
    static String annId;
    static String apiKey;

    static AppModel app(String dataApiConfig) {
        List<AuthProviderDef> providers = List.of(
                new AuthProviderDef(Json.parse("{\"name\": \"local-userpass\", \"type\": \"local-userpass\", \"config\": {\"autoConfirm\": true}}")),
                new AuthProviderDef(Json.parse("{\"name\": \"api-key\", \"type\": \"api-key\"}")),
                new AuthProviderDef(Json.parse("{\"name\": \"custom-token\", \"type\": \"custom-token\", \"config\": {\"signingAlgorithm\": \"HS256\"},"
                        + " \"secret_config\": {\"signingKeys\": [\"jwtKey\"]}}")));
        CollectionRuleDef notes = new CollectionRuleDef(Json.parse("""
                {"database": "app", "collection": "notes",
                 "roles": [{"name": "owner", "apply_when": {"owner_id": "%%user.id"}, "read": true, "write": true, "insert": true, "delete": true}]}"""));
        ServiceDef mongo = new ServiceDef(Json.parse("{\"name\": \"mongodb-atlas\", \"type\": \"mongodb-atlas\", \"config\": {}}"),
                List.of(notes), null, List.of(), List.of());
        TreeMap<String, String> files = new TreeMap<>();
        if (dataApiConfig != null) {
            files.put("http_endpoints/data_api_config.json", dataApiConfig);
        }
        return new AppModel(Json.parse("{\"app_id\": \"data-abcde\", \"name\": \"data\"}"), providers, List.of(), List.of(mongo),
                List.of(), List.of(), List.of(), List.of(), List.of(), files);
    }

    static final String DEFAULT_CONFIG = "{\"disabled\": false, \"versions\": [\"v1\"], \"return_type\": \"JSON\", \"validation_method\": \"NO_VALIDATION\"}";

    @BeforeAll
    static void start() {
        SecretStore secrets = new SecretStore(dir.resolve("secrets.json"));
        secrets.set("jwtKey", JWT_KEY);
        secrets.set("dataApiSecret", SECRET);
        host = AppHost.start(app(DEFAULT_CONFIG), AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")), secrets));
        AuthService auth = host.auth();
        auth.register("local-userpass", new Document("email", ANN_EMAIL).append("password", PASSWORD));
        annId = auth.authenticate(auth.login("local-userpass", new Document("username", ANN_EMAIL).append("password", PASSWORD), "127.0.0.1", null)
                .accessToken()).user().id();
        apiKey = host.auth().createServerApiKey("data-api-tests").secret();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void freshNotes() {
        host.reload(app(DEFAULT_CONFIG));
        var notes = host.database().database("app").getCollection("notes");
        notes.deleteMany(new Document());
        notes.insertMany(List.of(
                new Document("_id", new org.bson.types.ObjectId("65a000000000000000000001")).append("owner_id", annId).append("text", "milk")
                        .append("n", 1).append("at", new Date(0)),
                new Document("_id", new org.bson.types.ObjectId("65a000000000000000000002")).append("owner_id", annId).append("text", "eggs").append("n", 2),
                new Document("_id", new org.bson.types.ObjectId("65a000000000000000000003")).append("owner_id", "bob").append("text", "bob's").append("n", 3)));
    }

    private static String url(String version, String action) {
        return host.baseUrl() + "/app/data-abcde/endpoint/data/" + version + "/action/" + action;
    }

    private static HttpResponse<String> post(String action, String body, String... headers) throws Exception {
        return postTo(url("v1", action), body, headers);
    }

    private static HttpResponse<String> postTo(String url, String body, String... headers) throws Exception {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                all.set(1, headers[i + 1]);
            } else {
                all.add(headers[i]);
                all.add(headers[i + 1]);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).headers(all.toArray(String[]::new))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Ann's credentials as email and password headers. */
    private static String[] ann() {
        return new String[] {"email", ANN_EMAIL, "password", PASSWORD};
    }

    private static String ns(String rest) {
        return "{\"dataSource\": \"mongodb-atlas\", \"database\": \"app\", \"collection\": \"notes\"" + (rest.isEmpty() ? "" : ", " + rest) + "}";
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    // ---- actions -------------------------------------------------------------------------------

    @Test
    void findOneAnswersTheDocumentAsPlainJsonUnderTheRules() throws Exception {
        HttpResponse<String> mine = post("findOne", ns("\"filter\": {\"text\": \"milk\"}, \"projection\": {\"text\": 1, \"at\": 1}"), ann());
        HttpResponse<String> bobs = post("findOne", ns("\"filter\": {\"text\": \"bob's\"}"), ann());

        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        assertThat(mine.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(mine)).isEqualTo(JSON.readTree(
                "{\"document\": {\"_id\": \"65a000000000000000000001\", \"text\": \"milk\", \"at\": \"1970-01-01T00:00:00Z\"}}"));
        assertThat(json(bobs)).isEqualTo(JSON.readTree("{\"document\": null}"));
    }

    @Test
    void findHonoursSortSkipAndLimitAndSeesOnlyTheCallersDocuments() throws Exception {
        HttpResponse<String> all = post("find", ns("\"filter\": {}, \"sort\": {\"n\": -1}"), ann());
        HttpResponse<String> page = post("find", ns("\"filter\": {}, \"sort\": {\"n\": 1}, \"skip\": 1, \"limit\": 1, \"projection\": {\"_id\": 0, \"text\": 1}"), ann());

        assertThat(json(all).get("documents").findValuesAsText("text")).isEqualTo(List.of("eggs", "milk"));
        assertThat(json(page)).isEqualTo(JSON.readTree("{\"documents\": [{\"text\": \"eggs\"}]}"));
    }

    @Test
    void findRefusesALimitAboveFiftyThousand() throws Exception {
        HttpResponse<String> response = post("find", ns("\"limit\": 50001"), ann());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error_code").asText()).isEqualTo("InvalidParameter");
        assertThat(json(response).get("error").asText()).contains("limit must be 1 to 50000");
    }

    @Test
    void insertOneAndInsertManyAnswerTheNewIds() throws Exception {
        HttpResponse<String> one = post("insertOne", ns("\"document\": {\"owner_id\": \"" + annId + "\", \"text\": \"jam\"}"), ann());
        HttpResponse<String> many = post("insertMany", ns("\"documents\": [{\"owner_id\": \"" + annId + "\", \"text\": \"a\"},"
                + " {\"_id\": \"mine\", \"owner_id\": \"" + annId + "\", \"text\": \"b\"}]"), ann());
        HttpResponse<String> forBob = post("insertOne", ns("\"document\": {\"owner_id\": \"bob\", \"text\": \"planted\"}"), ann());

        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(json(one).get("insertedId").asText()).matches("[0-9a-f]{24}");
        assertThat(json(many).get("insertedIds").get(1).asText()).isEqualTo("mine");
        assertThat(forBob.statusCode()).as("the rules refuse a note for someone else").isEqualTo(403);
        assertThat(host.database().database("app").getCollection("notes").countDocuments(new Document("text", "planted"))).isZero();
    }

    @Test
    void updateOneUpdateManyAndUpsertAnswerTheCounts() throws Exception {
        HttpResponse<String> one = post("updateOne", ns("\"filter\": {\"text\": \"milk\"}, \"update\": {\"$set\": {\"done\": true}}"), ann());
        HttpResponse<String> many = post("updateMany", ns("\"filter\": {}, \"update\": {\"$inc\": {\"n\": 10}}"), ann());
        HttpResponse<String> upsert = post("updateOne", ns("\"filter\": {\"owner_id\": \"" + annId + "\", \"text\": \"new\"},"
                + " \"update\": {\"$set\": {\"n\": 0}}, \"upsert\": true"), ann());

        assertThat(json(one)).isEqualTo(JSON.readTree("{\"matchedCount\": 1, \"modifiedCount\": 1}"));
        assertThat(json(many)).as("bob's note is not Ann's to update").isEqualTo(JSON.readTree("{\"matchedCount\": 2, \"modifiedCount\": 2}"));
        assertThat(json(upsert).get("matchedCount").asInt()).isZero();
        assertThat(json(upsert).get("upsertedId").asText()).matches("[0-9a-f]{24}");
        assertThat(host.database().database("app").getCollection("notes").find(new Document("text", "bob's")).first().getInteger("n")).isEqualTo(3);
    }

    @Test
    void replaceOneReplacesOrUpserts() throws Exception {
        HttpResponse<String> replaced = post("replaceOne", ns("\"filter\": {\"text\": \"eggs\"},"
                + " \"replacement\": {\"owner_id\": \"" + annId + "\", \"text\": \"ham\"}"), ann());
        HttpResponse<String> none = post("replaceOne", ns("\"filter\": {\"text\": \"nothing\"}, \"replacement\": {\"owner_id\": \"" + annId + "\"}"), ann());
        HttpResponse<String> upserted = post("replaceOne", ns("\"filter\": {\"text\": \"nothing\"},"
                + " \"replacement\": {\"owner_id\": \"" + annId + "\", \"text\": \"fresh\"}, \"upsert\": true"), ann());

        assertThat(json(replaced)).isEqualTo(JSON.readTree("{\"matchedCount\": 1, \"modifiedCount\": 1}"));
        assertThat(host.database().database("app").getCollection("notes").find(new Document("_id",
                new org.bson.types.ObjectId("65a000000000000000000002"))).first().getString("text")).isEqualTo("ham");
        assertThat(json(none)).isEqualTo(JSON.readTree("{\"matchedCount\": 0, \"modifiedCount\": 0}"));
        assertThat(json(upserted).get("upsertedId").asText()).matches("[0-9a-f]{24}");
    }

    @Test
    void deleteOneAndDeleteManyAnswerTheDeletedCount() throws Exception {
        HttpResponse<String> one = post("deleteOne", ns("\"filter\": {\"text\": \"milk\"}"), ann());
        HttpResponse<String> many = post("deleteMany", ns("\"filter\": {}"), ann());

        assertThat(json(one)).isEqualTo(JSON.readTree("{\"deletedCount\": 1}"));
        assertThat(json(many)).isEqualTo(JSON.readTree("{\"deletedCount\": 1}"));
        assertThat(host.database().database("app").getCollection("notes").countDocuments()).as("bob's note stays").isEqualTo(1);
    }

    @Test
    void aggregateRunsThePipelineOverTheCallersDocuments() throws Exception {
        HttpResponse<String> response = post("aggregate", ns("\"pipeline\": [{\"$group\": {\"_id\": null, \"total\": {\"$sum\": \"$n\"}}}]"), ann());

        assertThat(json(response)).isEqualTo(JSON.readTree("{\"documents\": [{\"_id\": null, \"total\": 3}]}"));
    }

    @Test
    void everyRequestLeavesALogRecordWithTheUserAndTheRuleDecisions() throws Exception {
        post("findOne", ns("\"filter\": {\"text\": \"milk\"}"), ann());

        LogRecord record = host.logs().recent(50).stream().filter(r -> r.type() == LogType.ENDPOINT).reduce((a, b) -> b).orElseThrow();
        assertThat(record.functionName()).isEqualTo("data api v1 findOne");
        assertThat(record.userId()).isEqualTo(annId);
        assertThat(record.decision().toJson()).contains("\"owner\"");
    }

    // ---- formats -------------------------------------------------------------------------------

    @Test
    void acceptEjsonAnswersCanonicalExtendedJson() throws Exception {
        HttpResponse<String> response = post("findOne", ns("\"filter\": {\"text\": \"milk\"}"), "Accept", "application/ejson",
                "email", ANN_EMAIL, "password", PASSWORD);

        assertThat(response.headers().firstValue("Content-Type")).contains("application/ejson");
        assertThat(json(response).at("/document/_id")).isEqualTo(JSON.readTree("{\"$oid\": \"65a000000000000000000001\"}"));
        assertThat(json(response).at("/document/n")).isEqualTo(JSON.readTree("{\"$numberInt\": \"1\"}"));
        assertThat(json(response).at("/document/at")).isEqualTo(JSON.readTree("{\"$date\": {\"$numberLong\": \"0\"}}"));
    }

    @Test
    void anEjsonBodyIsReadWithItsTypes() throws Exception {
        HttpResponse<String> response = post("findOne", ns("\"filter\": {\"_id\": {\"$oid\": \"65a000000000000000000002\"}}"),
                "Content-Type", "application/ejson", "email", ANN_EMAIL, "password", PASSWORD);

        assertThat(json(response).at("/document/text").asText()).isEqualTo("eggs");
    }

    @Test
    void withoutAcceptTheConfiguredReturnTypeApplies() throws Exception {
        host.reload(app("{\"versions\": [\"v1\"], \"return_type\": \"EJSON\"}"));

        HttpResponse<String> response = post("findOne", ns("\"filter\": {\"text\": \"milk\"}"), ann());

        assertThat(json(response).at("/document/_id/$oid").asText()).isEqualTo("65a000000000000000000001");
    }

    @Test
    void aBodyThatIsNeitherJsonNorEjsonIsRefused() throws Exception {
        HttpResponse<String> response = post("findOne", ns(""), "Content-Type", "text/plain", "email", ANN_EMAIL, "password", PASSWORD);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains("application/json or application/ejson");
    }

    // ---- authentication ------------------------------------------------------------------------

    @Test
    void aBearerAccessTokenAuthenticates() throws Exception {
        String token = host.auth().login("local-userpass", new Document("username", ANN_EMAIL).append("password", PASSWORD), "127.0.0.1", null)
                .accessToken();

        HttpResponse<String> response = post("find", ns(""), "Authorization", "Bearer " + token);

        assertThat(json(response).get("documents")).hasSize(2);
    }

    @Test
    void anInvalidBearerTokenIsRefusedEvenWithOtherCredentials() throws Exception {
        HttpResponse<String> response = post("find", ns(""), "Authorization", "Bearer not-a-token", "email", ANN_EMAIL, "password", PASSWORD);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error_code").asText()).isEqualTo("InvalidSession");
    }

    @ParameterizedTest
    @ValueSource(strings = {"apiKey", "api-key"})
    void aServerApiKeyAuthenticatesInBothHeaderSpellings(String header) throws Exception {
        // a server key's user owns no notes: the rules show it none
        HttpResponse<String> response = post("find", ns(""), header, apiKey);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("documents")).isEmpty();
    }

    /** A custom JWT for {@code subject}, signed with the app's key. */
    private static String jwtFor(String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject).audience("data-abcde")
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new MACSigner(JWT_KEY.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static long usersWithIdentity(String subject) {
        return host.database().database(AppHost.stateDatabaseName("data-abcde")).getCollection("users")
                .countDocuments(new Document("identities", new Document("$elemMatch",
                        new Document("provider_type", "custom-token").append("id", subject))));
    }

    static final String CREATING_CONFIG = DEFAULT_CONFIG.replace("}", ", \"create_user_on_auth\": true}");

    @Test
    void aCustomJwtAuthenticatesAndCreatesItsUserWhenCreateUserOnAuthIsOn() throws Exception {
        host.reload(app(CREATING_CONFIG));

        HttpResponse<String> response = post("insertOne", ns("\"document\": {\"owner_id\": \"ignored\"}"), "jwtTokenString", jwtFor("ext-7"));

        assertThat(response.statusCode()).as("a new user may not insert a note owned by someone else").isEqualTo(403);
        assertThat(response.body()).doesNotContain("InvalidSession");
        assertThat(usersWithIdentity("ext-7")).isEqualTo(1);
    }

    @Test
    void aCustomJwtOfAnUnknownIdentityIsRefusedAndCreatesNoUserWhenCreateUserOnAuthIsOff() throws Exception {
        HttpResponse<String> response = post("find", ns(""), "jwtTokenString", jwtFor("ext-unknown"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(response).get("error_code").asText()).isEqualTo("InvalidSession");
        assertThat(json(response).get("error").asText()).startsWith("invalid session: error finding user for endpoint")
                .contains("create_user_on_auth");
        assertThat(usersWithIdentity("ext-unknown")).isZero();
    }

    @Test
    void aCustomJwtOfAKnownIdentityIsServedWhenCreateUserOnAuthIsOff() throws Exception {
        // the identity logs in through the client API first (the provider creates its user there)
        host.auth().login("custom-token", new Document("token", jwtFor("ext-known")), "127.0.0.1", null);

        HttpResponse<String> response = post("find", ns(""), "jwtTokenString", jwtFor("ext-known"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("documents")).isEmpty();
        assertThat(usersWithIdentity("ext-known")).isEqualTo(1);
    }

    @Test
    void anErrorBodyLinksToTheLogRecordOfItsRequest() throws Exception {
        HttpResponse<String> response = post("find", ns(""), "email", ANN_EMAIL, "password", "wrong-password");

        JsonNode body = json(response);
        assertThat(body.get("error_code").asText()).isEqualTo("InvalidSession");
        String prefix = host.baseUrl() + "/api/admin/v3.0/groups/default/apps/data-abcde/logs?co_id=";
        assertThat(body.get("link").asText()).startsWith(prefix);
        String coId = body.get("link").asText().substring(prefix.length());
        LogRecord record = host.logs().recent(50).stream().filter(r -> r.coId().equals(coId)).findFirst().orElseThrow();
        assertThat(record.errorCode()).isEqualTo("InvalidSession");
        assertThat(record.type()).isEqualTo(LogType.ENDPOINT);
    }

    @Test
    void aWrongPasswordIsAnInvalidSession() throws Exception {
        HttpResponse<String> response = post("find", ns(""), "email", ANN_EMAIL, "password", "wrong-password");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error_code").asText()).isEqualTo("InvalidSession");
    }

    @Test
    void noCredentialsAtAllIsMissingParameter() throws Exception {
        HttpResponse<String> response = post("find", ns(""));

        assertThat(response.statusCode()).isEqualTo(401);
        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode) json(response);
        assertThat(body.remove("link").asText()).startsWith(host.baseUrl() + "/api/admin/v3.0/groups/default/apps/data-abcde/logs?co_id=");
        assertThat(body).isEqualTo(JSON.readTree("{\"error\": \"must specify some form of authentication (either email+password,"
                + " api-key, or jwt) in the request header or body\", \"error_code\": \"MissingParameter\"}"));
    }

    // ---- data_api_config.json ------------------------------------------------------------------

    @Test
    void runAsSystemSeesEveryDocument() throws Exception {
        host.reload(app("{\"versions\": [\"v1\"], \"run_as_system\": true}"));

        HttpResponse<String> response = post("find", ns(""), ann());

        assertThat(json(response).get("documents")).hasSize(3);
    }

    @Test
    void runAsUserIdRunsAsThatUser() throws Exception {
        host.reload(app("{\"versions\": [\"v1\"], \"run_as_user_id\": \"bob\"}"));

        HttpResponse<String> response = post("find", ns(""), ann());

        assertThat(json(response).get("documents").findValuesAsText("text")).isEqualTo(List.of("bob's"));
    }

    @Test
    void canEvaluateDecidesOverTheUserAndTheBody() throws Exception {
        host.reload(app("{\"versions\": [\"v1\"], \"can_evaluate\": {\"%%user.type\": \"normal\", \"%%args.collection\": \"notes\"}}"));

        HttpResponse<String> ann = post("find", ns(""), ann());
        HttpResponse<String> server = post("find", ns(""), "apiKey", apiKey);
        HttpResponse<String> other = post("find", ns("").replace("\"notes\"", "\"other\""), ann());

        assertThat(List.of(ann.statusCode(), server.statusCode(), other.statusCode())).isEqualTo(List.of(200, 403, 403));
        assertThat(json(server).get("error").asText()).contains("can_evaluate expression is false");
    }

    @Test
    void onlyTheEnabledVersionsAnswer() throws Exception {
        HttpResponse<String> beta = postTo(url("beta", "find"), ns(""), ann());
        host.reload(app("{\"versions\": [\"beta\", \"v1\"]}"));
        HttpResponse<String> betaOn = postTo(url("beta", "find"), ns(""), ann());

        assertThat(beta.statusCode()).isEqualTo(404);
        assertThat(json(beta).get("error").asText()).contains("Data API version \"beta\" is not enabled for this app; enabled: v1");
        assertThat(betaOn.statusCode()).isEqualTo(200);
    }

    @Test
    void aDisabledOrMissingDataApiIs404() throws Exception {
        host.reload(app("{\"disabled\": true, \"versions\": [\"v1\"]}"));
        HttpResponse<String> disabled = post("find", ns(""), ann());
        host.reload(app(null));
        HttpResponse<String> missing = post("find", ns(""), ann());

        assertThat(List.of(disabled.statusCode(), missing.statusCode())).isEqualTo(List.of(404, 404));
        assertThat(json(missing).get("error").asText()).contains("add http_endpoints/data_api_config.json");
    }

    @Test
    void anUnknownActionIs404AndAGetIs405() throws Exception {
        HttpResponse<String> unknown = post("findOneAndUpdate", ns(""), ann());
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(url("v1", "find"))).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("its actions are findOne, find, insertOne");
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void secretAsQueryParamValidation() throws Exception {
        host.reload(app("{\"versions\": [\"v1\"], \"validation_method\": \"SECRET_AS_QUERY_PARAM\", \"secret_name\": \"dataApiSecret\"}"));

        HttpResponse<String> without = post("find", ns(""), ann());
        HttpResponse<String> wrong = postTo(url("v1", "find") + "?secret=nope", ns(""), ann());
        HttpResponse<String> right = postTo(url("v1", "find") + "?secret=" + SECRET, ns(""), ann());

        assertThat(List.of(without.statusCode(), wrong.statusCode(), right.statusCode())).isEqualTo(List.of(401, 403, 200));
    }

    @Test
    void verifyPayloadValidationWithEndpointSignature() throws Exception {
        host.reload(app("{\"versions\": [\"v1\"], \"validation_method\": \"VERIFY_PAYLOAD\", \"secret_name\": \"dataApiSecret\"}"));
        String body = ns("\"filter\": {\"text\": \"milk\"}");

        HttpResponse<String> unsigned = post("findOne", body, ann());
        HttpResponse<String> tampered = post("findOne", body.replace("milk", "eggs"), "Endpoint-Signature", signature(body),
                "email", ANN_EMAIL, "password", PASSWORD);
        HttpResponse<String> signed = post("findOne", body, "Endpoint-Signature", signature(body), "email", ANN_EMAIL, "password", PASSWORD);

        assertThat(List.of(unsigned.statusCode(), tampered.statusCode(), signed.statusCode())).isEqualTo(List.of(401, 403, 200));
        assertThat(json(signed).at("/document/text").asText()).isEqualTo("milk");
    }

    private static String signature(String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
