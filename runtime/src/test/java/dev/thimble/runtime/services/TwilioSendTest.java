package dev.thimble.runtime.services;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.functions.ExecutionRequest;
import dev.thimble.runtime.functions.FunctionResult;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A function's twilio.send through the registry (rules on %%args.to, the log record) to the real Twilio type, against a loopback fake. */
class TwilioSendTest {
    @TempDir
    static Path dir;
    static FakeHttpServer fake;
    static AppHost host;

    @BeforeAll
    static void start() {
        fake = new FakeHttpServer();
        SecretStore secrets = new SecretStore(dir.resolve("secrets.json"));
        secrets.set("twilioToken", "twilio-token");
        host = ServiceApps.app()
                .serviceConfig("{\"name\": \"sms\", \"type\": \"twilio\", \"config\": {\"sid\": \"AC1\", \"base_url\": \"" + fake.url("") + "\"},"
                        + " \"secret_config\": {\"auth_token\": \"twilioToken\"}}", List.of())
                .function("text", "exports = (to) => context.services.get('sms').send({to, from: '+15550001', body: 'hi'});")
                .start(dir, secrets);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        fake.close();
    }

    @Test
    void sendReachesTwilioWithTheAccountsCredentialsAndIsLogged() {
        FunctionResult result = host.services().functions().execute("text", List.of(new BsonString("+15550002")), ExecutionRequest.asSystem());
        assertThat(result.error()).isNull();
        assertThat(result.value().asDocument().getString("sid").getValue()).isEqualTo("SM123");
        FakeHttpServer.Received received = fake.last();
        assertThat(received.path()).isEqualTo("/2010-04-01/Accounts/AC1/Messages.json");
        assertThat(received.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("AC1:twilio-token".getBytes()));
        assertThat(received.body()).contains("To=%2B15550002").contains("Body=hi");
        LogRecord record = host.logs().recent(20).stream().filter(r -> r.type() == LogType.SERVICE_FUNCTION).reduce((a, b) -> b).orElseThrow();
        assertThat(record.serviceName() + " " + record.serviceAction()).isEqualTo("sms send");
        assertThat(record.toString()).doesNotContain("twilio-token");
    }

    @Test
    void aUserWithoutARuleIsDenied() {
        FunctionResult result = host.services().functions().execute("text", List.of(new BsonString("+15550002")),
                ExecutionRequest.asUser(Principal.normal("u1")));
        assertThat(result.error().message()).startsWith("rule denied: no rule of service 'sms' allows action 'send'");
    }
}
