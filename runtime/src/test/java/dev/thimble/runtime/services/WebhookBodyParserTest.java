package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.ServiceDef;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.functions.UserDirectory;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.server.ClientHooks;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service type's WebhookBodyParser (as a GitHub verifier plugs in) replaces the generic validation and hands the function the parsed event. */
class WebhookBodyParserTest {
    static MemoryLogs logs;
    static FunctionEngine engine;
    static WebhookService hooks;

    /** A GitHub-style parser: X-Hub-Signature-256 over the raw body with the hook's secret, the body parsed as the payload. */
    static final WebhookBodyParser GITHUB_LIKE = new WebhookBodyParser() {
        @Override
        public Set<String> types() {
            return Set.of("github");
        }

        @Override
        public BsonDocument parse(ConfiguredService service, ClientHooks.Request request, Optional<String> secret) {
            String header = request.header("X-Hub-Signature-256");
            if (header == null) {
                throw new dev.thimble.runtime.errors.Unauthenticated("IncomingWebhookAuthFailed", "missing X-Hub-Signature-256");
            }
            byte[] expected = HookValidation.hmacSha256(secret.orElseThrow(), request.body());
            if (!MessageDigest.isEqual(("sha256=" + HexFormat.of().formatHex(expected)).getBytes(StandardCharsets.UTF_8),
                    header.getBytes(StandardCharsets.UTF_8))) {
                throw new dev.thimble.runtime.errors.Forbidden("IncomingWebhookAuthFailed", "bad X-Hub-Signature-256 for service " + service.name());
            }
            return BsonDocument.parse(new String(request.body(), StandardCharsets.UTF_8));
        }
    };

    @BeforeAll
    static void start() {
        logs = new MemoryLogs();
        AppModel app = new AppModel(Json.parse("{\"app_id\": \"gh-abcde\", \"name\": \"gh\"}"), List.of(), List.of(), List.of(
                new ServiceDef(Json.parse("{\"name\": \"repo\", \"type\": \"github\", \"config\": {}}"), List.of(), null, List.of(),
                        List.of(ServiceApps.webhook("{\"name\": \"push\", \"options\": {\"secret_name\": \"ghSecret\"}, \"respond_result\": true}",
                                "exports = function(payload) { return payload.action + ' ' + payload.repository.name; };")))),
                List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
        engine = FunctionEngine.builder(app).build();
        hooks = new WebhookService(() -> app, () -> engine, name -> name.equals("ghSecret") ? Optional.of("gh-secret") : Optional.empty(),
                null, id -> new Document(), UserDirectory.NONE, logs.logs, Clock.systemUTC(), List.of(GITHUB_LIKE), 1 << 20);
    }

    @AfterAll
    static void stop() {
        engine.close();
        logs.close();
    }

    private static ClientHooks.Reply deliver(String method, String body, String signature) {
        Map<String, List<String>> headers = signature == null ? Map.of() : Map.of("X-Hub-Signature-256", List.of(signature));
        return hooks.webhook("repo", "push", new ClientHooks.Request(method, "/hook", "", Map.of(), headers,
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
    }

    private static String sign(String body) {
        return "sha256=" + HexFormat.of().formatHex(HookValidation.hmacSha256("gh-secret", body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedEventReachesTheFunctionParsed() {
        String event = "{\"action\": \"opened\", \"repository\": {\"name\": \"thimble\"}}";
        ClientHooks.Reply reply = deliver("POST", event, sign(event));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("\"opened thimble\"");
        assertThat(logs.last(LogType.WEBHOOK).decision().getString("validation").getValue()).isEqualTo("github signature");
    }

    @Test
    void theParsersRefusalIsTheAnswer() {
        assertThatThrownBy(() -> deliver("POST", "{\"action\": \"x\"}", sign("{}")))
                .isInstanceOf(Failure.class).hasMessage("bad X-Hub-Signature-256 for service repo");
        assertThatThrownBy(() -> deliver("POST", "{}", null)).satisfies(e -> assertThat(((Failure) e).status()).isEqualTo(401));
    }

    @Test
    void aParsedTypesWebhookAcceptsOnlyPostByDefault() {
        assertThatThrownBy(() -> deliver("GET", "{}", sign("{}"))).satisfies(e -> assertThat(((Failure) e).status()).isEqualTo(405));
    }
}
