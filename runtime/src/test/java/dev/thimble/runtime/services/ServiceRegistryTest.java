package dev.thimble.runtime.services;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.app.ServiceRuleDef;
import dev.thimble.runtime.functions.Caller;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.functions.RequestInfo;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.rules.RuleContext;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry with a third-party service type plugged in: resolution by type, secrets, regions, rules with %%user and %%request. */
class ServiceRegistryTest {
    record Seen(ConfiguredService service, ServiceRequest request, String secret) {
    }

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    static MemoryLogs logs;
    static ServiceRegistry registry;

    /** Stands in for a third-party type (the real ones plug in the same way, one line in standardTypes()). */
    static final ServiceType CLOUD = new ServiceType() {
        @Override
        public Set<String> types() {
            return Set.of("aws");
        }

        @Override
        public BsonValue call(ConfiguredService service, ServiceRequest request) {
            SEEN.add(new Seen(service, request, service.secrets().apply("secretAccessKey").orElse(null)));
            return new BsonDocument("ok", new BsonString(request.action()));
        }
    };

    private static ServiceDef service(String json, String... rules) {
        return new ServiceDef(Json.parse(json), List.of(), null, List.of(rules).stream().map(r -> new ServiceRuleDef(Json.parse(r))).toList(), List.of());
    }

    @BeforeAll
    static void start() {
        logs = new MemoryLogs();
        AppModel app = new AppModel(Json.parse("{\"app_id\": \"reg-abcde\", \"name\": \"reg\"}"), List.of(), List.of(), List.of(
                service("{\"name\": \"cloud\", \"type\": \"aws\", \"config\": {\"accessKeyId\": \"AK\", \"region\": \"us-east-1\"},"
                                + " \"secret_config\": {\"secretAccessKey\": \"awsSecret\"}}",
                        "{\"name\": \"s3ForTeam\", \"actions\": [\"s3:*\"], \"when\": {\"%%user.data.team\": \"blue\", \"Bucket\": \"team-bucket\"}}",
                        "{\"name\": \"sesFromApi\", \"actions\": [\"ses:SendEmail\"], \"when\": {\"%%request.httpMethod\": \"POST\"}}"),
                service("{\"name\": \"pager\", \"type\": \"pager-duty\", \"config\": {}}"),
                service("{\"name\": \"mongodb-atlas\", \"type\": \"mongodb-atlas\", \"config\": {}}")),
                List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
        ServiceRegistry.RuleContextFactory rules = (caller, args, request) -> RuleContext.forUser(
                caller.user()).args(args).request(request).build();
        registry = new ServiceRegistry(() -> app, List.of(HttpService.standard(), CLOUD),
                name -> name.equals("awsSecret") ? Optional.of("the-aws-secret") : Optional.empty(), rules, logs.logs, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        logs.close();
    }

    private static Caller user(String team) {
        return Caller.user(Principal.normal("u-" + team).withData(new BsonDocument("team", new BsonString(team))));
    }

    private static RequestInfo request(String method) {
        return new RequestInfo("127.0.0.1", Map.of(), null, method, "", null, null, null, null);
    }

    @Test
    void aThirdPartyTypeGetsItsConfigSecretsAndRegion() {
        BsonValue result = registry.call("cloud", "s3:PutObject", BsonDocument.parse("{\"Bucket\": \"team-bucket\"}"), "eu-west-1", user("blue"), request("GET"));
        assertThat(result).isEqualTo(BsonDocument.parse("{\"ok\": \"s3:PutObject\"}"));
        Seen seen = SEEN.getLast();
        assertThat(seen.service().name()).isEqualTo("cloud");
        assertThat(seen.service().config().text("accessKeyId")).isEqualTo("AK");
        assertThat(seen.secret()).isEqualTo("the-aws-secret");
        assertThat(seen.request()).isEqualTo(new ServiceRequest("s3:PutObject", BsonDocument.parse("{\"Bucket\": \"team-bucket\"}"), "eu-west-1"));
        assertThat(logs.last(LogType.SERVICE_FUNCTION).decision().getString("rule").getValue()).isEqualTo("s3ForTeam");
        assertThat(logs.last(LogType.SERVICE_FUNCTION).toString()).doesNotContain("the-aws-secret");
    }

    @Test
    void rulesSeeTheUserAndTheArgumentsAndDenyOtherwise() {
        int before = SEEN.size();
        assertThatThrownBy(() -> registry.call("cloud", "s3:PutObject", BsonDocument.parse("{\"Bucket\": \"team-bucket\"}"), null, user("red"), request("GET")))
                .isInstanceOf(ServiceCallException.class).hasMessageStartingWith("rule denied: no rule of service 'cloud' allows action 's3:PutObject'");
        assertThatThrownBy(() -> registry.call("cloud", "s3:PutObject", BsonDocument.parse("{\"Bucket\": \"other\"}"), null, user("blue"), request("GET")))
                .hasMessageContaining("s3ForTeam");
        assertThat(SEEN).hasSize(before);
        assertThat(logs.last(LogType.SERVICE_FUNCTION).status()).isEqualTo(LogStatus.ERROR);
    }

    @Test
    void rulesSeeTheRequest() {
        registry.call("cloud", "ses:SendEmail", new BsonDocument(), null, user("red"), request("POST"));
        assertThatThrownBy(() -> registry.call("cloud", "ses:SendEmail", new BsonDocument(), null, user("red"), request("GET")))
                .hasMessageContaining("sesFromApi");
    }

    @Test
    void anActionNoRuleListsIsDeniedByDefault() {
        assertThatThrownBy(() -> registry.call("cloud", "lambda:Invoke", new BsonDocument(), null, user("blue"), request("GET")))
                .hasMessage("rule denied: no rule of service 'cloud' allows action 'lambda:Invoke' (services/cloud/rules/ has no rule listing it"
                        + " in actions; calls are denied by default)");
    }

    @Test
    void unknownServicesTypesAndMongoServicesAreClearErrors() {
        assertThatThrownBy(() -> registry.call("nope", "get", new BsonDocument(), null, user("blue"), request("GET")))
                .hasMessage("service 'nope' is not defined in this app (no services/nope/config.json)");
        assertThatThrownBy(() -> registry.call("pager", "send", new BsonDocument(), null, user("blue"), request("GET")))
                .hasMessage("service 'pager' has type 'pager-duty', which this Thimble runtime cannot call (it serves: aws, http)");
        assertThatThrownBy(() -> registry.call("mongodb-atlas", "find", new BsonDocument(), null, user("blue"), request("GET")))
                .hasMessageContaining("is a MongoDB service");
    }
}
