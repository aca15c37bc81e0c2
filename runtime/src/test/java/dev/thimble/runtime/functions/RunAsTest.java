package dev.thimble.runtime.functions;

import dev.thimble.runtime.principal.Principal;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.thimble.runtime.functions.Functions.ALICE;
import static dev.thimble.runtime.functions.Functions.ejson;
import static dev.thimble.runtime.functions.Functions.run;
import static dev.thimble.runtime.functions.Functions.value;
import static org.assertj.core.api.Assertions.assertThat;

/** Who a function runs as (spec §3): calling user, run_as_system, run_as_user_id, the script; private; can_evaluate. */
class RunAsTest {
    private static final Principal BOB = new Principal("bob-id", "normal", new BsonDocument("email", new BsonString("bob@example.com")), null, null);
    private static final String READ = "context.services.get('mongodb-atlas').db('runas').collection('items').findOne({})";
    private static DriverMongoServiceClient mongo;
    private static FunctionEngine engine;

    @BeforeAll
    static void start() {
        mongo = new DriverMongoServiceClient(EmbeddedMongo.client());
        engine = FunctionEngine.builder(TestApp.app()
                        .service("mongodb-atlas", "mongodb-atlas")
                        .function("whoAmI", "exports = async function() {\n  await " + READ + ";\n"
                                + "  return { user: context.user.id, system: context.runningAsSystem() };\n};")
                        .function("asSystem", "{\"run_as_system\": true}", "exports = async function() {\n"
                                + "  await null;\n  await " + READ + ";\n"
                                + "  const inner = await context.functions.execute('whoAmI');\n"
                                + "  return { user: context.user.id, system: context.runningAsSystem(), inner };\n};")
                        .function("asBob", "{\"run_as_user_id\": \"bob-id\"}", "exports = async function() {\n"
                                + "  await " + READ + ";\n  return { user: context.user.id, email: context.user.data.email };\n};")
                        .function("asListOwner", "{\"run_as_user_id_script_source\": \"exports = function(listId) { return 'owner-of-' + listId; };\"}",
                                "exports = function(listId) { return context.user.id; };")
                        .function("asScriptExpression", "{\"run_as_user_id_script_source\": \"function() { return 'expr-user'; }\"}",
                                "exports = function() { return context.user.id; };")
                        .function("userCallsSystem", "exports = async function() {\n"
                                + "  const before = await context.functions.execute('whoAmI');\n"
                                + "  const system = await context.functions.execute('asSystem');\n"
                                + "  const after = await context.functions.execute('whoAmI');\n"
                                + "  return { before, system, after };\n};")
                        .function("private", "{\"private\": true}", "exports = function() { return 'private result'; };")
                        .function("emptyCanEvaluate", "{\"can_evaluate\": {}}", "exports = function() { return 'ran'; };")
                        .function("guarded", "{\"can_evaluate\": {\"%%user.id\": \"alice-id\"}}", "exports = function() { return 'ran'; };")
                        .function("callsGuarded", "exports = function() {\n"
                                + "  try { return context.functions.execute('guarded'); } catch (e) { return 'refused: ' + e.message; }\n};")
                        .function("quiet", "{\"disable_arg_logs\": true}", "exports = function(password) { return password.length; };")
                        .build())
                .mongo(mongo)
                .users(id -> id.equals("bob-id") ? Optional.of(BOB) : Optional.empty())
                .limits(Functions.TEST_LIMITS)
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @BeforeEach
    void forgetCalls() {
        mongo.calls.clear();
    }

    private static List<Caller> serviceCallers() {
        return mongo.calls.stream().map(DriverMongoServiceClient.Call::caller).toList();
    }

    @Test
    void aFunctionRunsAsTheCallingUserByDefault() {
        FunctionResult result = run(engine, "whoAmI");
        assertThat(result.value()).isEqualTo(ejson("{\"user\": \"alice-id\", \"system\": false}"));
        assertThat(result.caller()).isEqualTo(Caller.user(ALICE));
        assertThat(serviceCallers()).containsExactly(Caller.user(ALICE));
    }

    @Test
    void runAsSystemBypassesRulesAndKeepsTheCallingUserVisible() {
        FunctionResult result = run(engine, "asSystem");
        assertThat(result.value()).isEqualTo(ejson(
                "{\"user\": \"alice-id\", \"system\": true, \"inner\": {\"user\": \"alice-id\", \"system\": true}}"));
        assertThat(serviceCallers()).as("after an await the system function still calls as system, and so does its callee")
                .containsExactly(Caller.user(ALICE).asSystem(), Caller.user(ALICE).asSystem());
    }

    @Test
    void runAsUserIdRunsAsThatUser() {
        FunctionResult result = run(engine, "asBob");
        assertThat(result.value()).isEqualTo(ejson("{\"user\": \"bob-id\", \"email\": \"bob@example.com\"}"));
        assertThat(serviceCallers()).containsExactly(Caller.user(BOB));
        assertThat(result.caller()).isEqualTo(Caller.user(BOB));
    }

    @Test
    void runAsUserIdScriptSourceDecidesTheUserFromTheArguments() {
        assertThat(value(engine, "asListOwner", new BsonString("L1"))).isEqualTo(new BsonString("owner-of-L1"));
        assertThat(value(engine, "asScriptExpression")).isEqualTo(new BsonString("expr-user"));
    }

    @Test
    void nestedCallsInheritTheCallerUnlessTheCalleeHasRunAsOptions() {
        assertThat(value(engine, "userCallsSystem")).isEqualTo(ejson("""
                {"before": {"user": "alice-id", "system": false},
                 "system": {"user": "alice-id", "system": true, "inner": {"user": "alice-id", "system": true}},
                 "after": {"user": "alice-id", "system": false}}
                """));
        assertThat(serviceCallers()).containsExactly(Caller.user(ALICE), Caller.user(ALICE).asSystem(),
                Caller.user(ALICE).asSystem(), Caller.user(ALICE));
    }

    @Test
    void triggersAndAdminCallsRunAsTheSystemUser() {
        FunctionResult result = engine.execute("whoAmI", List.of(), ExecutionRequest.asSystem());
        assertThat(result.value()).isEqualTo(ejson("{\"user\": \"\", \"system\": true}"));
        assertThat(serviceCallers()).containsExactly(Caller.system());
    }

    @Test
    void clientsCannotCallPrivateFunctionsButServerSideCallersCan() {
        FunctionResult fromClient = engine.executeFromClient("private", List.of(), ExecutionRequest.asUser(ALICE));
        assertThat(fromClient.error()).isEqualTo(FunctionError.of(FunctionError.Kind.NOT_CALLABLE,
                "function 'private' is private: client SDKs cannot call it (other functions, rules, triggers and webhooks can)"));
        assertThat(fromClient.error().code()).isEqualTo("FunctionNotCallable");
        assertThat(run(engine, "private").value()).isEqualTo(new BsonString("private result"));
    }

    @Test
    void anEmptyCanEvaluateAllowsTheCall() {
        assertThat(engine.executeFromClient("emptyCanEvaluate", List.of(), ExecutionRequest.asUser(ALICE)).value())
                .isEqualTo(new BsonString("ran"));
    }

    @Test
    void aCanEvaluateExpressionIsRefusedUntilTheRulesEngineCanCheckIt() {
        FunctionResult result = run(engine, "guarded");
        assertThat(result.error()).isEqualTo(FunctionError.of(FunctionError.Kind.NOT_CALLABLE,
                "function 'guarded' has a can_evaluate expression: can_evaluate cannot be checked yet: the rules engine is not wired into functions"));
    }

    @Test
    void anInjectedCanEvaluateDecidesForEntryAndNestedCalls() {
        FunctionEngine checked = FunctionEngine.builder(engine.app())
                .canEvaluate((function, expression, arguments, caller, request) ->
                        expression.getString("%%user.id").getValue().equals(caller.userId()))
                .limits(Functions.TEST_LIMITS)
                .build();
        try (checked) {
            assertThat(run(checked, "guarded").value()).isEqualTo(new BsonString("ran"));
            FunctionResult bob = checked.execute("guarded", List.of(), ExecutionRequest.asUser(BOB));
            assertThat(bob.error().message()).isEqualTo("function 'guarded' may not be called: its can_evaluate expression is false for this call");
            assertThat(checked.execute("callsGuarded", List.of(), ExecutionRequest.asUser(BOB)).value()).isEqualTo(
                    new BsonString("refused: function 'guarded' may not be called: its can_evaluate expression is false for this call"));
        }
    }

    @Test
    void disableArgLogsKeepsTheArgumentsOutOfTheResultsLogFields() {
        FunctionResult quiet = run(engine, "quiet", new BsonString("hunter2"));
        assertThat(quiet.argumentsLogged()).isFalse();
        assertThat(quiet.loggedArguments()).isEmpty();
        FunctionResult normal = run(engine, "asListOwner", new BsonString("L1"));
        assertThat(normal.loggedArguments()).contains(new BsonArray(List.of(new BsonString("L1"))));
    }
}
