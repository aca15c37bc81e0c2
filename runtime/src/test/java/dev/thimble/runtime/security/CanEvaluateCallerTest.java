package dev.thimble.runtime.security;

import dev.thimble.runtime.host.CompiledApp;
import dev.thimble.runtime.security.ServedBundle.Answer;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 4 over HTTP: {@code can_evaluate} is decided for the CALLER ({@code %%user} = who calls),
 * not for the identity the function or webhook runs as, on every path: an SDK call, a call through
 * {@code context.functions.execute} from a user's function, and an incoming webhook.
 */
class CanEvaluateCallerTest {
    @TempDir
    static Path temp;
    static ServedBundle app;
    static String admin;
    static String attacker;

    static final String ONLY_ADMIN = "{\"%%user.data.email\": \"admin@example.com\"}";

    @BeforeAll
    static void serve() {
        app = ServedBundle.serve(ServedBundle.bundle("guarded-thmbl")
                .function("payroll", "{\"name\": \"payroll\", \"private\": false, \"run_as_system\": true, \"can_evaluate\": " + ONLY_ADMIN + "}",
                        "exports = function() { return 'the payroll'; };")
                .function("payrollAsUser", "{\"name\": \"payrollAsUser\", \"private\": false, \"run_as_user_id\": \"someone-trusted\","
                        + " \"can_evaluate\": {\"%%user.id\": \"someone-trusted\"}}", "exports = function() { return 'the payroll'; };")
                .function("viaProxy", "{\"name\": \"viaProxy\", \"private\": false}",
                        "exports = async function() { return await context.functions.execute('payroll'); };")
                .file("services/hooks/config.json", "{\"id\": \"5f0000000000000000000009\", \"name\": \"hooks\", \"type\": \"http\", \"config\": {}, \"version\": 1}")
                .file("services/hooks/incoming_webhooks/payrollHook/config.json", """
                        {"id": "5f000000000000000000000a", "name": "payrollHook", "run_as_authed_user": false,
                         "run_as_user_id": "someone-trusted", "run_as_user_id_script_source": "",
                         "can_evaluate": {"%%user.id": "someone-trusted"},
                         "options": {"httpMethod": "POST", "validationMethod": "NO_VALIDATION"},
                         "respond_result": true, "fetch_custom_user_data": false, "create_user_on_auth": false, "disable_arg_logs": false}""")
                .file("services/hooks/incoming_webhooks/payrollHook/source.js", "exports = function(payload) { return 'the payroll'; };"), temp);
        admin = app.register("admin@example.com", "admin-password-1");
        attacker = app.register("attacker@example.com", "attacker-password-1");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aRunAsSystemFunctionIsGuardedForTheCallingUser() {
        Answer refused = app.function(attacker, "payroll", "[]");
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).doesNotContain("the payroll");
        Answer allowed = app.function(admin, "payroll", "[]");
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(allowed.body()).contains("the payroll");
    }

    @Test
    void aRunAsUserFunctionIsGuardedForTheCallerNotTheUserItRunsAs() {
        Answer refused = app.function(attacker, "payrollAsUser", "[]");
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    }

    @Test
    void aUsersFunctionCallingTheGuardedFunctionIsJudgedAsThatUser() {
        Answer refused = app.function(attacker, "viaProxy", "[]");
        assertThat(refused.status()).as(refused.body()).isGreaterThanOrEqualTo(400);
        assertThat(refused.body()).doesNotContain("\"the payroll\"").contains("can_evaluate");
        Answer allowed = app.function(admin, "viaProxy", "[]");
        assertThat(allowed.body()).as(allowed.body()).contains("the payroll");
    }

    @Test
    void aWebhookRunningAsAUserIsGuardedForItsCallerNotThatUser() {
        String url = app.host.baseUrl() + "/api/client/v2.0/app/" + app.appId() + "/service/hooks/incoming_webhook/payrollHook";
        Answer answer = app.postUrl(url, "{}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain("the payroll");
    }

    @Test
    void aCanEvaluateExpressionIsCompiledOncePerAppVersion() {
        CompiledApp version = new CompiledApp(app.host.app(), name -> Optional.empty());
        BsonDocument expression = BsonDocument.parse(ONLY_ADMIN);
        assertThat(version.canEvaluate("payroll", expression)).isSameAs(version.canEvaluate("payroll", expression.clone()));
        assertThat(new CompiledApp(app.host.app(), name -> Optional.empty()).canEvaluate("payroll", expression))
                .isNotSameAs(version.canEvaluate("payroll", expression));
    }
}
