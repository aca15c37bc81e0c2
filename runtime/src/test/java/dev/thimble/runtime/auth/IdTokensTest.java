package dev.thimble.runtime.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Google and Apple ID tokens against a loopback JWKS whose keys can rotate. */
class IdTokensTest {
    private HttpServer server;
    private final AtomicReference<List<JWK>> published = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final InstantSource clock = () -> now.get();
    private RSAKey first;
    private IdTokens idTokens;

    @BeforeEach
    void start() throws Exception {
        first = new RSAKeyGenerator(2048).keyID("k1").generate();
        published.set(List.of(first.toPublicJWK()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/keys", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(published.get()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        idTokens = new IdTokens(new JwkSetCache(clock), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AuthProviderDef google() {
        return new AuthProviderDef(Json.parse("{\"name\": \"oauth2-google\", \"type\": \"oauth2-google\", \"config\": {\"clientId\": \"web-client\","
                + " \"jwksUrl\": \"http://127.0.0.1:" + server.getAddress().getPort() + "/keys\"}}"));
    }

    private String token(JWK key, String issuer, String audience, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("sub-1").claim("email", "a@b.c")
                .issueTime(Date.from(now.get())).expirationTime(Date.from(expires)).build();
        boolean ec = key instanceof ECKey;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(ec ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(ec ? new ECDSASigner((ECKey) key) : new RSASSASigner((RSAKey) key));
        return jwt.serialize();
    }

    private String valid(JWK key) throws Exception {
        return token(key, "https://accounts.google.com", "web-client", now.get().plus(Duration.ofHours(1)));
    }

    @Test
    void aValidTokenGivesItsSubjectAndTheKeysAreFetchedOnce() throws Exception {
        assertThat(idTokens.verify(google(), valid(first)).subject()).isEqualTo("sub-1");
        assertThat(idTokens.verify(google(), valid(first)).fields()).containsEntry("email", "a@b.c");
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesIt() throws Exception {
        idTokens.verify(google(), valid(first));
        ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        published.set(List.of(first.toPublicJWK(), rotated.toPublicJWK()));
        now.set(now.get().plus(JwkSetCache.REFETCH_AFTER).plusSeconds(1));

        assertThat(idTokens.verify(google(), valid(rotated)).subject()).isEqualTo("sub-1");
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void wrongAudienceIssuerOrExpiryAreRefusedWithTheReason() throws Exception {
        Instant later = now.get().plus(Duration.ofHours(1));
        assertThatThrownBy(() -> idTokens.verify(google(), token(first, "https://accounts.google.com", "other", later)))
                .isInstanceOf(Failure.class).hasMessageContaining("issued for [other], not for this app's client id");
        assertThatThrownBy(() -> idTokens.verify(google(), token(first, "https://evil.example", "web-client", later)))
                .hasMessageContaining("issued by https://evil.example, not https://accounts.google.com or accounts.google.com");
        assertThatThrownBy(() -> idTokens.verify(google(), token(first, "https://accounts.google.com", "web-client", now.get().minusSeconds(120))))
                .hasMessageContaining("has expired");
        assertThatThrownBy(() -> idTokens.verify(google(), valid(new RSAKeyGenerator(2048).keyID("k1").generate())))
                .hasMessageContaining("signature does not verify");
        assertThatThrownBy(() -> idTokens.verify(google(), "not.a.jwt")).hasMessageContaining("not a signed JWT");
    }
}
