package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import dev.thimble.runtime.services.ServiceRequest;
import dev.thimble.runtime.services.ServiceType;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code gcm} service type: {@code send({to | registrationTokens, priority, collapseKey, contentAvailable,
 * delayWhileIdle, mutableContent, timeToLive, data, notification})} through FCM HTTP v1 when
 * {@code secret_config.serviceAccount} names a service account ({@link FcmV1}), else through FCM's legacy
 * HTTP API ({@code POST /fcm/send}, {@code Authorization: key=<apiKey>}), returning {@code {multicastId, success,
 * failure, canonicalIds, results: [{messageId | registrationId | error}]}}.
 */
final class GcmService implements ServiceType {
    static final String API = "https://fcm.googleapis.com";
    /** FCM's legacy API takes at most this many registration tokens in one request. */
    static final int MAX_TOKENS = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    /** Argument names whose FCM field is spelled differently; every other argument keeps its name. */
    private static final Map<String, String> OPTIONS = Map.of(
            "collapseKey", "collapse_key",
            "contentAvailable", "content_available",
            "delayWhileIdle", "delay_while_idle",
            "mutableContent", "mutable_content",
            "timeToLive", "time_to_live",
            "dryRun", "dry_run",
            "restrictedPackageName", "restricted_package_name");

    private final Outbound outbound;
    private final FcmV1 v1;

    GcmService(Outbound outbound, java.time.Clock clock) {
        this.outbound = outbound;
        this.v1 = new FcmV1(outbound, clock);
    }

    @Override
    public Set<String> types() {
        return Set.of("gcm");
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        Args args = Args.of(service, request);
        if (!"send".equals(request.action())) {
            throw args.error("the gcm service type has no action \"" + request.action() + "\"; it offers send");
        }
        return send(service, args);
    }

    BsonDocument send(ConfiguredService service, Args args) {
        // FCM HTTP v1 when the service has a service account; the legacy server-key API otherwise
        java.util.Optional<String> serviceAccount = service.secrets().apply("serviceAccount").filter(s -> !s.isBlank());
        if (serviceAccount.isPresent()) {
            return v1.send(service, args, serviceAccount.get());
        }
        ObjectNode message = message(args);
        String apiKey = Where.secret(service, "apiKey");
        HttpRequest http = Outbound.request(Where.baseUrl(service, API) + "/fcm/send")
                .header("Authorization", "key=" + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString()))
                .build();
        Outbound.Reply reply = outbound.send(http, args.where());
        if (reply.status() == 401) {
            throw new ServiceCallException(args.where() + ": FCM refused the API key (401); check the secret for"
                    + " secret_config.apiKey (a server key of the Firebase project of config.senderId)");
        }
        JsonNode answer = Outbound.json(reply.body());
        if (!reply.ok() || answer == null) {
            String detail = reply.text().strip();
            throw new ServiceCallException(args.where() + ": FCM refused the message (" + reply.status() + ")"
                    + (detail.isEmpty() ? "" : ": " + (detail.length() > 300 ? detail.substring(0, 300) + "…" : detail)));
        }
        return result(answer);
    }

    /** The FCM JSON for a send's arguments; the recipients are {@code to} or {@code registrationTokens}, never both. */
    static ObjectNode message(Args args) {
        ObjectNode out = MAPPER.createObjectNode();
        String to = args.optionalText("to");
        List<String> tokens = args.texts("registrationTokens");
        if ((to == null) == tokens.isEmpty()) {
            throw args.error("pass exactly one of \"to\" (a registration token or /topics/<name>) and"
                    + " \"registrationTokens\" (an array of tokens)");
        }
        if (to != null) {
            out.put("to", to);
        } else {
            if (tokens.size() > MAX_TOKENS) {
                throw args.error("FCM takes at most " + MAX_TOKENS + " registrationTokens in one send; got " + tokens.size());
            }
            tokens.forEach(out.putArray("registration_ids")::add);
        }
        String priority = args.optionalText("priority");
        if (priority != null) {
            if (!priority.equals("high") && !priority.equals("normal")) {
                throw args.error("priority must be \"high\" or \"normal\", not \"" + priority + "\"");
            }
            out.put("priority", priority);
        }
        for (Map.Entry<String, String> option : OPTIONS.entrySet()) {
            BsonValue value = args.raw().get(option.getKey());
            if (value != null && !value.isNull()) {
                switch (option.getKey()) {
                    case "timeToLive" -> {
                        long seconds = args.optionalLong("timeToLive");
                        if (seconds < 0 || seconds > 2_419_200) {
                            throw args.error("timeToLive must be 0 to 2419200 seconds (4 weeks), not " + seconds);
                        }
                        out.put("time_to_live", seconds);
                    }
                    case "collapseKey", "restrictedPackageName" -> out.put(option.getValue(), args.optionalText(option.getKey()));
                    default -> out.put(option.getValue(), args.optionalBool(option.getKey()));
                }
            }
        }
        if (args.has("data")) {
            out.set("data", json(args.document("data")));
        }
        if (args.has("notification")) {
            ObjectNode notification = out.putObject("notification");
            args.document("notification").forEach((name, value) -> notification.set(snakeCase(name), json(value)));
        }
        return out;
    }

    static BsonDocument result(JsonNode answer) {
        BsonDocument result = new BsonDocument();
        BsonArray results = new BsonArray();
        if (answer.has("multicast_id")) {
            result.append("multicastId", new BsonInt64(answer.get("multicast_id").asLong()));
            result.append("success", new BsonInt32(answer.path("success").asInt()));
            result.append("failure", new BsonInt32(answer.path("failure").asInt()));
            result.append("canonicalIds", new BsonInt32(answer.path("canonical_ids").asInt()));
            for (JsonNode item : answer.path("results")) {
                results.add(item(item));
            }
        } else {
            // A topic send answers {message_id} or {error}, not the multicast form: report it in the same shape.
            boolean ok = answer.has("message_id");
            result.append("success", new BsonInt32(ok ? 1 : 0));
            result.append("failure", new BsonInt32(ok ? 0 : 1));
            results.add(item(answer));
        }
        return result.append("results", results);
    }

    private static BsonDocument item(JsonNode item) {
        BsonDocument out = new BsonDocument();
        if (item.hasNonNull("message_id")) {
            out.append("messageId", new BsonString(item.get("message_id").asText()));
        }
        if (item.hasNonNull("registration_id")) {
            out.append("registrationId", new BsonString(item.get("registration_id").asText()));
        }
        if (item.hasNonNull("error")) {
            out.append("error", new BsonString(item.get("error").asText()));
        }
        return out;
    }

    private static JsonNode json(BsonValue value) {
        try {
            return MAPPER.readTree(new BsonDocument("v", value).toJson(RELAXED)).get("v");
        } catch (IOException e) {
            throw new IllegalStateException("relaxed Extended JSON is JSON", e);
        }
    }

    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
