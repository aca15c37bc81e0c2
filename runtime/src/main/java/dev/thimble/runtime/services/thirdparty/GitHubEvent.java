package dev.thimble.runtime.services.thirdparty;

import org.bson.BsonDocument;
import org.bson.json.JsonParseException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One GitHub webhook delivery, pre-parsed for the webhook function: the event name
 * ({@code X-GitHub-Event}, e.g. {@code push}), the delivery id ({@code X-GitHub-Delivery}) and the
 * payload as a document. GitHub sends the payload as JSON, or as the {@code payload} field of a form
 * when the hook's content type is {@code application/x-www-form-urlencoded}.
 */
public record GitHubEvent(String event, String deliveryId, BsonDocument payload) {

    /**
     * Parses a delivery whose signature has already been checked.
     *
     * @throws IllegalArgumentException when the body is not a JSON object (the message says why)
     */
    public static GitHubEvent parse(byte[] rawBody, Map<String, List<String>> headers) {
        String event = GitHubSignature.header(headers, "X-GitHub-Event");
        String delivery = GitHubSignature.header(headers, "X-GitHub-Delivery");
        String contentType = GitHubSignature.header(headers, "Content-Type");
        String text = new String(rawBody == null ? new byte[0] : rawBody, StandardCharsets.UTF_8);
        if (contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            List<String> payload = TwilioSignature.parseForm(text).get("payload");
            if (payload == null || payload.isEmpty()) {
                throw new IllegalArgumentException("the GitHub webhook body is a form without a \"payload\" field");
            }
            text = payload.get(0);
        }
        try {
            return new GitHubEvent(event, delivery, BsonDocument.parse(text));
        } catch (JsonParseException | org.bson.BsonInvalidOperationException e) {
            throw new IllegalArgumentException("the GitHub webhook body is not a JSON object: " + e.getMessage(), e);
        }
    }
}
