package dev.thimble.runtime.auth;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Custom JWT logins (custom-token provider) against a real in-memory database, with real signed tokens. */
class CustomTokenLoginTest {
    private static final String KEY_2025 = "key-2025-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String KEY_2026 = "key-2026-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String KEY_NEXT = "key-next-0123456789abcdefghijklmnopqrstuvwxyz";
    private static MongoServer server;
    private static MongoClient client;
    private static RSAKey rsa;
    private static RSAKey otherRsa;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final Map<String, String> secrets = new HashMap<>(Map.of(
            "jwt2025", KEY_2025, "jwt2026", KEY_2026, "jwtNext", KEY_NEXT, "shortKey", "too-short"));
    private HttpServer jwkServer;

    @BeforeAll
    static void start() throws Exception {
        server = new MongoServer(new MemoryBackend());
        var address = server.bind();
        client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        otherRsa = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.shutdownNow();
    }

    @AfterEach
    void stopJwkServer() {
        if (jwkServer != null) {
            jwkServer.stop(0);
        }
    }

    private AuthService auth(String providerJson) {
        AppModel model = new AppModel(Json.parse("{\"app_id\":\"todo-abcde\",\"name\":\"todo\"}"),
                List.of(new AuthProviderDef(Json.parse(providerJson))),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), new TreeMap<>());
        return new AuthService(() -> model, AuthStores.in(client.getDatabase("state_" + System.nanoTime())),
                new Tokens("0123456789abcdef0123456789abcdef".getBytes(), clock, "todo-abcde", Duration.ofMinutes(30), Duration.ofDays(60)),
                clock, LoginThrottle.standard(clock), userId -> new Document(), AuthFunctions.NONE,
                name -> Optional.ofNullable(secrets.get(name)));
    }

    private static String hs256Provider(String extraConfig, String signingKeys) {
        return "{\"name\":\"custom-token\",\"type\":\"custom-token\",\"config\":{\"signingAlgorithm\":\"HS256\"" + extraConfig
                + "},\"secret_config\":{\"signingKeys\":" + signingKeys + "}}";
    }

    private static final String HS256 = hs256Provider("", "[\"jwt2026\"]");

    private JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now.get()))
                .expirationTime(Date.from(now.get().plus(Duration.ofMinutes(10))));
    }

    private static String hs256(String key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String pem(RSAKey key) throws Exception {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static AuthService.LoginResult login(AuthService auth, String token) {
        return auth.login("custom-token", new Document("token", token), "1.2.3.4", null);
    }

    private static void assertRefused(Executable call, String messagePart) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(Failure.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("AuthError");
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    // ---- signatures ----------------------------------------------------------------------------

    @Test
    void anHs256TokenSignedWithTheConfiguredKeyLogsInWithSubAsTheIdentityId() throws Exception {
        AuthService auth = auth(HS256);

        AuthService.LoginResult first = login(auth, hs256(KEY_2026, claims("ext-42").build()));
        AuthService.LoginResult again = login(auth, hs256(KEY_2026, claims("ext-42").build()));

        User user = auth.authenticate(first.accessToken()).user();
        assertThat(user.identities()).singleElement().satisfies(identity -> {
            assertThat(identity.id()).isEqualTo("ext-42");
            assertThat(identity.providerType()).isEqualTo("custom-token");
        });
        assertThat(again.userId()).as("the same sub is the same user").isEqualTo(first.userId());
        assertThat(login(auth, hs256(KEY_2026, claims("ext-43").build())).userId()).isNotEqualTo(first.userId());
    }

    @Test
    void anyOfUpToThreeRotatedSigningKeysVerifies() throws Exception {
        AuthService auth = auth(hs256Provider("", "[\"jwt2025\",\"jwt2026\",\"jwtNext\"]"));

        String viaOld = login(auth, hs256(KEY_2025, claims("rotating").build())).userId();
        String viaCurrent = login(auth, hs256(KEY_2026, claims("rotating").build())).userId();
        String viaNext = login(auth, hs256(KEY_NEXT, claims("rotating").build())).userId();

        assertThat(List.of(viaCurrent, viaNext)).containsOnly(viaOld);
    }

    @Test
    void aTokenSignedWithAKeyThatIsNotConfiguredIsRefused() {
        AuthService auth = auth(HS256);
        assertRefused(() -> login(auth, hs256(KEY_2025, claims("ext-42").build())),
                "signature does not verify with any configured signing key");
    }

    @Test
    void aTokenWhoseClaimsWereAlteredAfterSigningIsRefused() throws Exception {
        AuthService auth = auth(HS256);
        String[] parts = hs256(KEY_2026, claims("ext-42").build()).split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims("admin").build().toString().getBytes(StandardCharsets.UTF_8));

        assertRefused(() -> login(auth, parts[0] + "." + forged + "." + parts[2]),
                "signature does not verify with any configured signing key");
    }

    @Test
    void somethingThatIsNotAJwtIsRefusedSayingSo() {
        assertRefused(() -> login(auth(HS256), "a.b.c"), "not a signed JWT");
    }

    @Test
    void anHs256TokenOnAnRs256ProviderIsRefusedNamingBothAlgorithms() {
        secrets.put("rsaPublic", "unused");
        AuthService auth = auth("{\"name\":\"custom-token\",\"type\":\"custom-token\",\"config\":{\"signingAlgorithm\":\"RS256\"},"
                + "\"secret_config\":{\"signingKeys\":[\"rsaPublic\"]}}");
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").build())), "signed with HS256, but this provider expects RS256");
    }

    @Test
    void signingKeySecretsWithoutAValueOrTooShortAreNamedWhenNoKeyIsUsable() {
        AuthService auth = auth(hs256Provider("", "[\"neverSet\",\"shortKey\"]"));
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").build())), "secret \"neverSet\" has no value");
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").build())), "secret \"shortKey\" is shorter than 32 characters");
    }

    @Test
    void aProviderWithoutSigningKeysSaysWhereToConfigureThem() {
        AuthService auth = auth("{\"name\":\"custom-token\",\"type\":\"custom-token\",\"config\":{\"signingAlgorithm\":\"HS256\"}}");
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").build())),
                "set secret_config.signingKeys in auth_providers/custom-token.json");
    }

    @Test
    void rs256TokensVerifyWithAPemPublicKeyFromASecret() throws Exception {
        secrets.put("rsaPublic", pem(rsa));
        AuthService auth = auth("{\"name\":\"custom-token\",\"type\":\"custom-token\",\"config\":{\"signingAlgorithm\":\"RS256\"},"
                + "\"secret_config\":{\"signingKeys\":[\"rsaPublic\"]}}");

        assertThat(login(auth, rs256(rsa, claims("rsa-user").build())).userId()).isNotBlank();
        assertRefused(() -> login(auth, rs256(otherRsa, claims("rsa-user").build())),
                "signature does not verify with any configured signing key");
    }

    // ---- JWK URI -------------------------------------------------------------------------------

    private String serveJwks(AtomicInteger fetches, AtomicReference<JWKSet> keys) throws Exception {
        jwkServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwkServer.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = keys.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwkServer.start();
        return "http://127.0.0.1:" + jwkServer.getAddress().getPort() + "/.well-known/jwks.json";
    }

    private static String jwkProvider(String uri) {
        return "{\"name\":\"custom-token\",\"type\":\"custom-token\",\"config\":{\"signingAlgorithm\":\"RS256\",\"useJWKURI\":true,"
                + "\"jwkURI\":\"" + uri + "\"}}";
    }

    @Test
    void withAJwkUriTheKeysAreFetchedAndKeptForFiveMinutes() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        AuthService auth = auth(jwkProvider(serveJwks(fetches, new AtomicReference<>(new JWKSet(rsa.toPublicJWK())))));

        login(auth, rs256(rsa, claims("jwk-user").build()));
        login(auth, rs256(rsa, claims("jwk-user").build()));
        assertThat(fetches.get()).as("fetched once, then cached").isEqualTo(1);

        now.set(now.get().plus(Duration.ofMinutes(6)));
        login(auth, rs256(rsa, claims("jwk-user").build()));
        assertThat(fetches.get()).as("fetched again once the cache is old").isEqualTo(2);
    }

    @Test
    void aNewKeyIdAtTheJwkUriIsPickedUpWithoutWaitingForTheCache() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        AtomicReference<JWKSet> keys = new AtomicReference<>(new JWKSet(rsa.toPublicJWK()));
        AuthService auth = auth(jwkProvider(serveJwks(fetches, keys)));
        login(auth, rs256(rsa, claims("jwk-user").build()));

        keys.set(new JWKSet(List.of(rsa.toPublicJWK(), otherRsa.toPublicJWK())));
        assertRefused(() -> login(auth, rs256(otherRsa, claims("jwk-user").build())), "key id (kid) \"rsa-2\" is not among the keys");

        now.set(now.get().plus(JwkSetCache.REFETCH_AFTER).plusSeconds(1));
        assertThat(login(auth, rs256(otherRsa, claims("jwk-user").build())).userId()).isNotBlank();
    }

    @Test
    void anUnreachableJwkUriIsRefusedNamingIt() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        String uri = serveJwks(fetches, new AtomicReference<>(new JWKSet(rsa.toPublicJWK())));
        jwkServer.stop(0);
        jwkServer = null;
        assertRefused(() -> login(auth(jwkProvider(uri)), rs256(rsa, claims("jwk-user").build())),
                "cannot get the signing keys from the JWK URI " + uri);
    }

    // ---- time claims ---------------------------------------------------------------------------

    @Test
    void anExpiredTokenIsRefusedSayingWhenItExpired() {
        AuthService auth = auth(HS256);
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").expirationTime(Date.from(now.get().minusSeconds(60))).build())),
                "token expired at 2025-12-31T23:59:00Z");
    }

    @Test
    void aTokenWithoutExpIsRefused() {
        AuthService auth = auth(HS256);
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").expirationTime(null).build())), "no exp claim");
    }

    @Test
    void aTokenNotYetValidIsRefusedUntilItsNbf() throws Exception {
        AuthService auth = auth(HS256);
        String token = hs256(KEY_2026, claims("ext-42").notBeforeTime(Date.from(now.get().plusSeconds(120))).build());

        assertRefused(() -> login(auth, token), "token is not valid before 2026-01-01T00:02:00Z");

        now.set(now.get().plusSeconds(121));
        assertThat(login(auth, token).userId()).isNotBlank();
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        AuthService auth = auth(HS256);
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").issueTime(Date.from(now.get().plusSeconds(3600))).build())),
                "token was issued in the future: iat 2026-01-01T01:00:00Z");
    }

    @Test
    void aTokenWithoutSubIsRefused() {
        AuthService auth = auth(HS256);
        assertRefused(() -> login(auth, hs256(KEY_2026, claims(null).build())), "no sub claim");
    }

    // ---- audience ------------------------------------------------------------------------------

    @Test
    void withAnAudienceConfiguredTheTokenMustCarryAllOfIt() throws Exception {
        AuthService auth = auth(hs256Provider(",\"audience\":[\"todo-abcde\",\"reports\"]", "[\"jwt2026\"]"));

        assertThat(login(auth, hs256(KEY_2026, claims("ext-42").audience(List.of("todo-abcde", "reports", "extra")).build())).userId())
                .isNotBlank();
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").audience("todo-abcde").build())),
                "audience [todo-abcde] not accepted: this provider requires all of [todo-abcde, reports]");
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").build())), "the token has no aud claim");
    }

    @Test
    void withRequireAnyAudienceOneMatchingAudienceIsEnough() throws Exception {
        AuthService auth = auth(hs256Provider(",\"audience\":[\"todo-abcde\",\"reports\"],\"requireAnyAudience\":true", "[\"jwt2026\"]"));

        assertThat(login(auth, hs256(KEY_2026, claims("ext-42").audience("reports").build())).userId()).isNotBlank();
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ext-42").audience("billing").build())),
                "audience [billing] not accepted: this provider requires any of [todo-abcde, reports]");
    }

    @Test
    void withoutAnAudienceConfiguredAnyAudienceIsAccepted() throws Exception {
        assertThat(login(auth(HS256), hs256(KEY_2026, claims("ext-42").audience("whatever").build())).userId()).isNotBlank();
    }

    // ---- metadata fields -----------------------------------------------------------------------

    private static final String WITH_METADATA = "{\"name\":\"custom-token\",\"type\":\"custom-token\",\"config\":{\"signingAlgorithm\":\"HS256\"},"
            + "\"secret_config\":{\"signingKeys\":[\"jwt2026\"]},\"metadata_fields\":["
            + "{\"required\":true,\"name\":\"user_data.name\"},"
            + "{\"required\":false,\"name\":\"email\",\"field_name\":\"mail\"},"
            + "{\"required\":false,\"name\":\"user_data.tier\",\"field_name\":\"tier\"},"
            + "{\"required\":false,\"name\":\"user_data.nickname\"}]}";

    @Test
    void metadataFieldsAreCopiedFromTokenPathsIntoUserDataAndRefreshedAtEachLogin() throws Exception {
        AuthService auth = auth(WITH_METADATA);
        AuthService.LoginResult first = login(auth, hs256(KEY_2026, claims("ada")
                .claim("user_data", Map.of("name", "Ada", "tier", 3, "ignored", true)).claim("email", "ada@example.com").build()));

        User user = auth.authenticate(first.accessToken()).user();
        assertThat(user.data()).isEqualTo(new Document("name", "Ada").append("mail", "ada@example.com").append("tier", 3));
        assertThat(user.identities().getFirst().providerData()).isEqualTo(user.data());

        login(auth, hs256(KEY_2026, claims("ada").claim("user_data", Map.of("name", "Ada Lovelace")).build()));
        assertThat(auth.authenticate(first.accessToken()).user().data())
                .isEqualTo(new Document("name", "Ada Lovelace").append("mail", "ada@example.com").append("tier", 3));
    }

    @Test
    void aMissingRequiredMetadataFieldRefusesTheLoginNamingIt() {
        AuthService auth = auth(WITH_METADATA);
        assertRefused(() -> login(auth, hs256(KEY_2026, claims("ada").claim("email", "ada@example.com").build())),
                "required metadata field user_data.name missing");
    }
}
