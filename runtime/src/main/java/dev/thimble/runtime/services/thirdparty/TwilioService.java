package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The {@code twilio} service type: {@code send({to, from, body, mediaUrl?})} creates a message with
 * Twilio's REST API as the account {@code config.sid}, authenticated with the secret {@code auth_token},
 * and returns {@code {sid, status, to, from}}.
 */
final class TwilioService implements ServiceType {
    static final String API = "https://api.twilio.com";

    private final Outbound outbound;

    TwilioService(Outbound outbound) {
        this.outbound = outbound;
    }

    @Override
    public Set<String> types() {
        return Set.of("twilio");
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        Args args = Args.of(service, request);
        if (!"send".equals(request.action())) {
            throw args.error("the twilio service type has no action \"" + request.action() + "\"; it offers send");
        }
        String to = args.text("to");
        String from = args.text("from");
        String body = args.optionalText("body");
        List<String> media = args.texts("mediaUrl");
        if ((body == null || body.isEmpty()) && media.isEmpty()) {
            throw args.error("the argument \"body\" is missing; pass the message text (or a mediaUrl)");
        }
        String sid = Where.config(service, "sid", "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
        if (!sid.matches("[A-Za-z0-9]+")) {
            throw new ServiceCallException(args.where() + ": config.sid \"" + sid + "\" is not a Twilio account SID (AC followed by 32 hex digits)");
        }
        String token = Where.secret(service, "auth_token");

        StringBuilder form = new StringBuilder();
        field(form, "To", to);
        field(form, "From", from);
        if (body != null && !body.isEmpty()) {
            field(form, "Body", body);
        }
        media.forEach(url -> field(form, "MediaUrl", url));
        String url = Where.baseUrl(service, API) + "/2010-04-01/Accounts/" + sid + "/Messages.json";
        HttpRequest http = Outbound.request(url)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((sid + ":" + token).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        Outbound.Reply reply = outbound.send(http, args.where());
        JsonNode answer = Outbound.json(reply.body());
        if (!reply.ok()) {
            throw refused(args.where(), reply, answer);
        }
        if (answer == null || !answer.hasNonNull("sid")) {
            throw new ServiceCallException(args.where() + ": Twilio answered " + reply.status()
                    + " without a message sid; is config.base_url pointing at Twilio?");
        }
        BsonDocument result = new BsonDocument("sid", new BsonString(answer.get("sid").asText()));
        for (String field : List.of("status", "to", "from")) {
            if (answer.hasNonNull(field)) {
                result.append(field, new BsonString(answer.get(field).asText()));
            }
        }
        return result;
    }

    private static ServiceCallException refused(String where, Outbound.Reply reply, JsonNode answer) {
        StringBuilder out = new StringBuilder(where).append(": Twilio refused the message (").append(reply.status());
        if (answer != null && answer.hasNonNull("code")) {
            out.append(", Twilio error ").append(answer.get("code").asText());
        }
        out.append(')');
        if (answer != null && answer.hasNonNull("message")) {
            out.append(": ").append(answer.get("message").asText());
        }
        if (reply.status() == 401) {
            out.append("; check config.sid and the secret for secret_config.auth_token");
        }
        if (answer != null && answer.hasNonNull("more_info")) {
            out.append(" (").append(answer.get("more_info").asText()).append(')');
        }
        return new ServiceCallException(out.toString());
    }

    private static void field(StringBuilder form, String name, String value) {
        if (!form.isEmpty()) {
            form.append('&');
        }
        form.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
