package dev.thimble.runtime.sdk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's and Apple's signing keys on loopback: a JWKS endpoint per provider serving the public half
 * of a real RSA key, and ID tokens signed with its private half, as the providers issue them. A
 * second key, never published, signs forgeries. Counts key set fetches, to see the cache work.
 */
public final class FakeJwksProvider implements AutoCloseable {
    public static final String GOOGLE_ISSUER = "https://accounts.google.com";
    public static final String APPLE_ISSUER = "https://appleid.apple.com";

    private final HttpServer server;
    private final RSAKey published;
    private final RSAKey unpublished;
    private final AtomicInteger fetches = new AtomicInteger();

    public FakeJwksProvider() throws IOException {
        try {
            published = new RSAKeyGenerator(2048).keyID("fake-key-1").generate();
            unpublished = new RSAKeyGenerator(2048).keyID("fake-key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/google/certs", this::keys);
        server.createContext("/apple/keys", this::keys);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int fetches() {
        return fetches.get();
    }

    /** An ID token from {@code issuer} for {@code audience}, valid for an hour, signed with the published key. */
    public String idToken(String issuer, String audience, String subject, Map<String, Object> extra) {
        return sign(published, issuer, audience, subject, Instant.now().plus(Duration.ofHours(1)), extra);
    }

    /** The same token shape signed with a key the JWKS does not hold (same kid): a forgery. */
    public String forged(String issuer, String audience, String subject) {
        return sign(unpublished, issuer, audience, subject, Instant.now().plus(Duration.ofHours(1)), Map.of());
    }

    /** A token that expired ten minutes ago. */
    public String expired(String issuer, String audience, String subject) {
        return sign(published, issuer, audience, subject, Instant.now().minus(Duration.ofMinutes(10)), Map.of());
    }

    private static String sign(RSAKey key, String issuer, String audience, String subject, Instant expires, Map<String, Object> extra) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                .issueTime(Date.from(expires.minus(Duration.ofHours(1)))).expirationTime(Date.from(expires));
        extra.forEach(claims::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void keys(HttpExchange exchange) throws IOException {
        fetches.incrementAndGet();
        byte[] body = new JWKSet(published.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
