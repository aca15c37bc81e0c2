package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.errors.Unauthenticated;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.server.ClientHooks;
import dev.thimble.runtime.services.thirdparty.GitHubEvent;
import dev.thimble.runtime.services.thirdparty.GitHubSignature;
import org.bson.BsonDocument;

import java.util.Optional;
import java.util.Set;

/**
 * Incoming webhooks of {@code github} services: GitHub's {@code X-Hub-Signature-256} (or legacy
 * {@code X-Hub-Signature}) checked with the hook's secret, and the delivery's JSON as the payload.
 * A hook without a secret accepts unsigned deliveries, as GitHub itself allows hooks without one.
 */
final class GitHubWebhooks implements WebhookBodyParser {
    @Override
    public Set<String> types() {
        return Set.of("github");
    }

    @Override
    public BsonDocument parse(ConfiguredService service, ClientHooks.Request request, Optional<String> secret) {
        String what = "GitHub webhook of service '" + service.name() + "'";
        if (secret.isPresent()) {
            if (request.header(GitHubSignature.HEADER_SHA256) == null && request.header(GitHubSignature.HEADER_SHA1) == null) {
                throw new Unauthenticated(HookValidation.AUTH_FAILED, what + ": the delivery carries no " + GitHubSignature.HEADER_SHA256
                        + " header; set the same secret in GitHub's webhook settings");
            }
            if (!GitHubSignature.verify(secret.get(), request.body(), request.headers())) {
                throw new Forbidden(HookValidation.AUTH_FAILED, what + ": the signature does not match the body and the hook's secret");
            }
        }
        try {
            return GitHubEvent.parse(request.body(), request.headers()).payload();
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("BadRequest", what + ": " + e.getMessage());
        }
    }
}
