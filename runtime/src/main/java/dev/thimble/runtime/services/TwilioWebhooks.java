package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.errors.Unauthenticated;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.errors.InternalFailure;
import dev.thimble.runtime.server.ClientHooks;
import dev.thimble.runtime.services.thirdparty.TwilioSignature;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.json.JsonParseException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Incoming webhooks of {@code twilio} services: {@code X-Twilio-Signature} checked with the service's
 * {@code auth_token} over the URL Twilio called and the form fields, and the form fields ({@code From},
 * {@code To}, {@code Body}, …) as the payload (a field sent twice becomes a list). The URL is taken
 * from the {@code Host} header, as {@code https} and as {@code http}, since a proxy in front may end TLS.
 */
final class TwilioWebhooks implements WebhookBodyParser {
    @Override
    public Set<String> types() {
        return Set.of("twilio");
    }

    @Override
    public BsonDocument parse(ConfiguredService service, ClientHooks.Request request, Optional<String> secret) {
        String what = "Twilio webhook of service '" + service.name() + "'";
        String token = service.secrets().apply("auth_token").orElseThrow(() -> new InternalFailure("InternalServerError", what
                + ": the service's auth_token secret has no value here, so Twilio's signature cannot be checked"
                + " (set it with `thimble secrets set`)"));
        String signature = request.header(TwilioSignature.HEADER);
        if (signature == null) {
            throw new Unauthenticated(HookValidation.AUTH_FAILED, what + ": the request carries no " + TwilioSignature.HEADER + " header");
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        boolean json = Optional.ofNullable(request.header("Content-Type")).orElse("").toLowerCase(Locale.ROOT).startsWith("application/json");
        Map<String, List<String>> form = json ? Map.of() : TwilioSignature.parseForm(body);
        boolean valid = false;
        for (String scheme : List.of("https://", "http://")) {
            String url = scheme + request.header("Host") + request.url();
            valid |= json ? TwilioSignature.verifyJsonBody(token, url, request.body(), signature) : TwilioSignature.verify(token, url, form, signature);
        }
        if (!valid) {
            throw new Forbidden(HookValidation.AUTH_FAILED, what + ": " + TwilioSignature.HEADER + " does not match this request");
        }
        if (json) {
            try {
                return BsonDocument.parse(body);
            } catch (JsonParseException | IllegalArgumentException e) {
                throw new InvalidInput("BadRequest", what + ": the body is not a JSON object");
            }
        }
        BsonDocument payload = new BsonDocument();
        form.forEach((name, values) -> {
            if (values.size() == 1) {
                payload.put(name, new BsonString(values.getFirst()));
            } else {
                BsonArray array = new BsonArray();
                values.forEach(v -> array.add(new BsonString(v)));
                payload.put(name, array);
            }
        });
        return payload;
    }
}
