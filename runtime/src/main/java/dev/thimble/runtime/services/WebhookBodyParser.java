package dev.thimble.runtime.services;

import dev.thimble.runtime.server.ClientHooks;
import org.bson.BsonDocument;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the incoming webhooks of one service type ({@code github}, {@code twilio}) check that a request
 * really comes from that service and turn its body into the payload the function receives
 * (STITCH-SPEC §5B: "GitHub and Twilio webhooks receive the pre-parsed body object"). A type with a
 * parser skips the generic {@code validationMethod} checks: its signature check replaces them.
 */
public interface WebhookBodyParser {

    /** The service {@code type} values this parser serves. */
    Set<String> types();

    /**
     * Verifies {@code request} (e.g. GitHub's {@code X-Hub-Signature-256} over the raw body with the hook's
     * secret) and returns the payload the function gets as its first argument.
     *
     * @param secret the webhook's secret ({@code options.secret_name} in the secret store), if it has one
     * @throws dev.thimble.runtime.errors.Failure 401 when the signature is missing, 403 when it is wrong
     *                                      (code {@code IncomingWebhookAuthFailed}), 400 when the body does not parse
     */
    BsonDocument parse(ConfiguredService service, ClientHooks.Request request, Optional<String> secret);

    /** The parsers this build has: add one here, one line each. */
    static List<WebhookBodyParser> standard() {
        return List.of(
                new GitHubWebhooks(),
                new TwilioWebhooks()
        );
    }
}
