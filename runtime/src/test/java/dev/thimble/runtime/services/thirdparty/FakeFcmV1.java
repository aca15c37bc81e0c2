package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Google's OAuth token endpoint and FCM HTTP v1 on loopback, speaking their real protocols: {@code POST /token}
 * takes a JWT-bearer grant whose assertion must be signed by the service account's key (RS256, iss = the
 * account's email, aud = this endpoint, the firebase.messaging scope, not expired) and answers an access
 * token; {@code POST /v1/projects/<project>/messages:send} takes {@code Bearer <that token>} and one message,
 * and answers {@code {name}} or Google's error body ({@code UNREGISTERED} for tokens in {@link #dead}).
 */
final class FakeFcmV1 {
    static final String PROJECT = "demo-project";
    static final String EMAIL = "fcm-sender@demo-project.iam.gserviceaccount.com";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final RSAKey key;
    final Map<String, Boolean> dead = new ConcurrentHashMap<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    private final Map<String, Boolean> issued = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(5000);
    private volatile String tokenUrl;

    FakeFcmV1() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("sa-key").generate();
    }

    /** The service account JSON Firebase gives for this fake (its private key in PKCS#8 PEM). */
    String serviceAccount(String tokenUrl) throws Exception {
        this.tokenUrl = tokenUrl;
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPrivateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return MAPPER.createObjectNode().put("type", "service_account").put("project_id", PROJECT)
                .put("private_key_id", "sa-key").put("private_key", pem).put("client_email", EMAIL)
                .put("token_uri", tokenUrl).toString();
    }

    /** Revokes every access token issued so far (as a rotated key would). */
    void revokeAll() {
        issued.clear();
    }

    FakeService.Answer handle(FakeService.Received request) {
        if (request.method().equals("POST") && request.path().equals("/token")) {
            return token(request);
        }
        if (request.method().equals("POST") && request.path().equals("/v1/projects/" + PROJECT + "/messages:send")) {
            return send(request);
        }
        return FakeService.Answer.json(404, "{\"error\": {\"code\": 404, \"message\": \"Not Found\", \"status\": \"NOT_FOUND\"}}");
    }

    private FakeService.Answer token(FakeService.Received request) {
        Map<String, List<String>> form = request.form();
        if (!List.of("urn:ietf:params:oauth:grant-type:jwt-bearer").equals(form.get("grant_type"))) {
            return FakeService.Answer.json(400, "{\"error\": \"unsupported_grant_type\"}");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(URLDecoder.decode(form.get("assertion").getFirst(), StandardCharsets.UTF_8));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            boolean valid = jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))
                    && EMAIL.equals(claims.getIssuer()) && claims.getAudience().equals(List.of(tokenUrl))
                    && "https://www.googleapis.com/auth/firebase.messaging".equals(claims.getStringClaim("scope"))
                    // Google allows at most an hour; the tests' clock is fixed, so the span is checked, not the wall clock
                    && claims.getExpirationTime().getTime() - claims.getIssueTime().getTime() <= 3_600_000
                    && claims.getExpirationTime().after(claims.getIssueTime());
            if (!valid) {
                return FakeService.Answer.json(400, "{\"error\": \"invalid_grant\", \"error_description\": \"Invalid JWT Signature.\"}");
            }
        } catch (Exception e) {
            return FakeService.Answer.json(400, "{\"error\": \"invalid_grant\", \"error_description\": \"" + e.getMessage() + "\"}");
        }
        String token = "ya29.fake-" + tokensIssued.incrementAndGet();
        issued.put(token, true);
        return FakeService.Answer.json(200, "{\"access_token\": \"" + token + "\", \"expires_in\": 3599, \"token_type\": \"Bearer\"}");
    }

    private FakeService.Answer send(FakeService.Received request) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !issued.containsKey(auth.substring(7))) {
            return FakeService.Answer.json(401, "{\"error\": {\"code\": 401, \"message\": \"Request had invalid authentication"
                    + " credentials.\", \"status\": \"UNAUTHENTICATED\"}}");
        }
        JsonNode message;
        try {
            message = MAPPER.readTree(request.body()).get("message");
        } catch (Exception e) {
            return FakeService.Answer.json(400, "{\"error\": {\"code\": 400, \"message\": \"Invalid JSON payload\", \"status\": \"INVALID_ARGUMENT\"}}");
        }
        if (message == null || message.has("registration_ids") || message.has("to")) {
            return FakeService.Answer.json(400, "{\"error\": {\"code\": 400, \"message\": \"Invalid JSON payload received.\","
                    + " \"status\": \"INVALID_ARGUMENT\"}}");
        }
        if (message.has("token") && dead.containsKey(message.get("token").asText())) {
            return FakeService.Answer.json(404, "{\"error\": {\"code\": 404, \"message\": \"Requested entity was not found.\","
                    + " \"status\": \"NOT_FOUND\", \"details\": [{\"@type\": \"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                    + " \"errorCode\": \"UNREGISTERED\"}]}}");
        }
        return FakeService.Answer.json(200, "{\"name\": \"projects/" + PROJECT + "/messages/" + ids.incrementAndGet() + "\"}");
    }
}
