package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.thimble.runtime.functions.ServiceCallException;
import dev.thimble.runtime.services.ConfiguredService;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FCM's HTTP v1 API, which replaced the legacy {@code /fcm/send} Google retired: the service account
 * (the JSON Firebase gives, in the secret named by {@code secret_config.serviceAccount}) signs a JWT,
 * Google's token endpoint trades it for an OAuth access token (kept until a minute before it
 * expires), and each recipient gets one {@code POST /v1/projects/<project>/messages:send}. The same
 * {@code send} arguments as the legacy API are mapped onto v1's message (notification, data as
 * strings, android and apns blocks), and the answer has the legacy shape ({@code success},
 * {@code failure}, {@code results: [{messageId} | {error}]}, legacy error names where one exists).
 *
 * <p>Endpoints: {@code config.base_url} (the send API, default https://fcm.googleapis.com),
 * {@code config.tokenUrl} (default the account's {@code token_uri}), {@code config.projectId}
 * (default the account's {@code project_id}).
 */
final class FcmV1 {
    static final String API = "https://fcm.googleapis.com";
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    static final String TOKEN_URL = "https://oauth2.googleapis.com/token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** v1 error codes with the legacy name functions already check for. */
    private static final Map<String, String> LEGACY_ERRORS = Map.of(
            "UNREGISTERED", "NotRegistered", "INVALID_ARGUMENT", "InvalidRegistration",
            "SENDER_ID_MISMATCH", "MismatchSenderId", "QUOTA_EXCEEDED", "MessageRateExceeded",
            "UNAVAILABLE", "Unavailable", "INTERNAL", "InternalServerError", "THIRD_PARTY_AUTH_ERROR", "InvalidApnsCredential");

    private record Account(String clientEmail, PrivateKey key, String projectId, String tokenUri) {
    }

    private record AccessToken(String value, Instant expires) {
    }

    private final Outbound outbound;
    private final Clock clock;
    /**
     * Access tokens by account, token endpoint and key: shared by every instance, since the service
     * types are rebuilt with each app version and a token stays good for an hour whatever the app does.
     */
    private static final Map<String, AccessToken> TOKENS = new ConcurrentHashMap<>();

    FcmV1(Outbound outbound, Clock clock) {
        this.outbound = outbound;
        this.clock = clock;
    }

    BsonDocument send(ConfiguredService service, Args args, String serviceAccountJson) {
        Account account = account(service, serviceAccountJson, args);
        String project = service.config().text("projectId", account.projectId());
        if (project.isEmpty()) {
            throw args.error("no Firebase project: the service account has no project_id; set config.projectId in services/"
                    + service.name() + "/config.json");
        }
        List<ObjectNode> messages = messages(args);
        String url = Where.baseUrl(service, API) + "/v1/projects/" + URLEncoder.encode(project, StandardCharsets.UTF_8) + "/messages:send";
        String tokenUrl = service.config().text("tokenUrl", account.tokenUri());
        BsonArray results = new BsonArray();
        int success = 0;
        for (ObjectNode message : messages) {
            ObjectNode body = MAPPER.createObjectNode();
            body.set("message", message);
            if (Boolean.TRUE.equals(args.optionalBool("dryRun"))) {
                body.put("validate_only", true);
            }
            Outbound.Reply reply = post(url, body, accessToken(account, tokenUrl, args), args);
            if (reply.status() == 401) {
                TOKENS.remove(tokenKey(account, tokenUrl)); // revoked or rotated: the next send gets a new one
                reply = post(url, body, accessToken(account, tokenUrl, args), args);
            }
            JsonNode answer = Outbound.json(reply.body());
            if (reply.ok() && answer != null && answer.hasNonNull("name")) {
                results.add(new BsonDocument("messageId", new BsonString(answer.get("name").asText())));
                success++;
            } else if (answer != null && answer.has("error") && reply.status() != 401 && reply.status() != 403) {
                results.add(new BsonDocument("error", new BsonString(errorName(answer.get("error")))));
            } else {
                String detail = answer != null ? answer.path("error").path("message").asText(reply.text()) : reply.text();
                throw new ServiceCallException(args.where() + ": FCM refused the message (" + reply.status() + ")"
                        + (detail.isBlank() ? "" : ": " + (detail.length() > 300 ? detail.substring(0, 300) + "…" : detail.strip()))
                        + (reply.status() == 401 || reply.status() == 403 ? "; check that the service account may send for project "
                        + project + " (role Firebase Cloud Messaging API Admin)" : ""));
            }
        }
        return new BsonDocument("success", new BsonInt32(success)).append("failure", new BsonInt32(messages.size() - success))
                .append("results", results);
    }

    private Outbound.Reply post(String url, ObjectNode body, String accessToken, Args args) {
        return outbound.send(Outbound.request(url).header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), args.where());
    }

    /** One v1 message per recipient: a token, a topic ({@code /topics/<name>}) or a condition. */
    static List<ObjectNode> messages(Args args) {
        ObjectNode legacy = GcmService.message(args); // validates the arguments exactly as the legacy API does
        List<String> recipients = new ArrayList<>();
        if (legacy.has("to")) {
            recipients.add(legacy.get("to").asText());
        } else {
            legacy.get("registration_ids").forEach(t -> recipients.add(t.asText()));
        }
        List<ObjectNode> out = new ArrayList<>();
        for (String to : recipients) {
            ObjectNode message = common(legacy);
            if (to.startsWith("/topics/")) {
                message.put("topic", to.substring("/topics/".length()));
            } else if (to.contains("' in topics")) {
                message.put("condition", to);
            } else {
                message.put("token", to);
            }
            out.add(message);
        }
        return out;
    }

    private static ObjectNode common(ObjectNode legacy) {
        ObjectNode message = MAPPER.createObjectNode();
        if (legacy.get("data") instanceof ObjectNode data) {
            ObjectNode strings = message.putObject("data"); // v1 data values are strings only
            data.properties().forEach(e -> strings.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        }
        ObjectNode android = MAPPER.createObjectNode();
        ObjectNode apnsHeaders = MAPPER.createObjectNode();
        ObjectNode aps = MAPPER.createObjectNode();
        if (legacy.get("notification") instanceof ObjectNode notification) {
            ObjectNode common = message.putObject("notification");
            ObjectNode androidNotification = MAPPER.createObjectNode();
            notification.properties().forEach(e -> {
                switch (e.getKey()) {
                    case "title", "body", "image" -> common.set(e.getKey(), e.getValue());
                    case "badge" -> aps.put("badge", e.getValue().asInt());
                    case "sound" -> {
                        androidNotification.set("sound", e.getValue());
                        aps.set("sound", e.getValue());
                    }
                    default -> androidNotification.set(e.getKey(), e.getValue());
                }
            });
            if (!androidNotification.isEmpty()) {
                android.set("notification", androidNotification);
            }
        }
        if (legacy.has("priority")) {
            boolean high = legacy.get("priority").asText().equals("high");
            android.put("priority", high ? "HIGH" : "NORMAL");
            apnsHeaders.put("apns-priority", high ? "10" : "5");
        }
        if (legacy.has("collapse_key")) {
            android.put("collapse_key", legacy.get("collapse_key").asText());
            apnsHeaders.put("apns-collapse-id", legacy.get("collapse_key").asText());
        }
        if (legacy.has("time_to_live")) {
            android.put("ttl", legacy.get("time_to_live").asLong() + "s");
        }
        if (legacy.has("restricted_package_name")) {
            android.put("restricted_package_name", legacy.get("restricted_package_name").asText());
        }
        if (legacy.path("content_available").asBoolean(false)) {
            aps.put("content-available", 1);
        }
        if (legacy.path("mutable_content").asBoolean(false)) {
            aps.put("mutable-content", 1);
        }
        if (!android.isEmpty()) {
            message.set("android", android);
        }
        if (!apnsHeaders.isEmpty() || !aps.isEmpty()) {
            ObjectNode apns = message.putObject("apns");
            if (!apnsHeaders.isEmpty()) {
                apns.set("headers", apnsHeaders);
            }
            if (!aps.isEmpty()) {
                apns.putObject("payload").set("aps", aps);
            }
        }
        return message;
    }

    private static String errorName(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (detail.hasNonNull("errorCode")) {
                String code = detail.get("errorCode").asText();
                return LEGACY_ERRORS.getOrDefault(code, code);
            }
        }
        String status = error.path("status").asText("UNKNOWN");
        return status.equals("NOT_FOUND") ? "NotRegistered" : LEGACY_ERRORS.getOrDefault(status, status);
    }

    /** An OAuth access token for the account: cached, or a signed JWT traded at the token endpoint (RFC 7523). */
    private String accessToken(Account account, String tokenUrl, Args args) {
        String key = tokenKey(account, tokenUrl);
        AccessToken cached = TOKENS.get(key);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.expires().minus(Duration.ofMinutes(1)))) {
            return cached.value();
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(account.clientEmail()).audience(tokenUrl)
                .claim("scope", SCOPE).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(account.key()));
        } catch (JOSEException e) {
            throw args.error("the service account's private key cannot sign (" + e.getMessage() + ")");
        }
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + jwt.serialize();
        Outbound.Reply reply = outbound.send(Outbound.request(tokenUrl).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), args.where());
        JsonNode answer = Outbound.json(reply.body());
        if (!reply.ok() || answer == null || !answer.hasNonNull("access_token")) {
            String detail = answer == null ? "" : answer.path("error_description").asText(answer.path("error").asText(""));
            throw new ServiceCallException(args.where() + ": Google refused the service account " + account.clientEmail()
                    + " (" + reply.status() + (detail.isEmpty() ? "" : ": " + detail) + "); check the key in secret_config.serviceAccount");
        }
        AccessToken token = new AccessToken(answer.get("access_token").asText(), now.plusSeconds(answer.path("expires_in").asLong(3600)));
        TOKENS.put(key, token);
        return token.value();
    }

    private static String tokenKey(Account account, String tokenUrl) {
        return account.clientEmail() + " " + tokenUrl + " " + java.util.Arrays.hashCode(account.key().getEncoded());
    }

    private static Account account(ConfiguredService service, String json, Args args) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            node = null;
        }
        String fix = "; store the service account JSON from the Firebase console (Project settings → Service accounts) as the"
                + " secret named by secret_config.serviceAccount in services/" + service.name() + "/config.json";
        if (node == null || !node.isObject()) {
            throw args.error("the service account secret is not JSON" + fix);
        }
        String email = node.path("client_email").asText("");
        String pem = node.path("private_key").asText("");
        if (email.isEmpty() || pem.isEmpty()) {
            throw args.error("the service account has no " + (email.isEmpty() ? "client_email" : "private_key") + fix);
        }
        PrivateKey key;
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", "").strip());
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw args.error("the service account's private_key is not an RSA key in PKCS#8 PEM" + fix);
        }
        return new Account(email, key, node.path("project_id").asText(""), node.path("token_uri").asText(TOKEN_URL));
    }
}
