package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.Unauthenticated;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenID Connect ID tokens of Google and Apple, the {@code {"id_token": …}} login that realm-web's
 * {@code Credentials.google({idToken})} and {@code Credentials.apple(idToken)} send. A token is taken
 * only when its signature verifies with a key from the provider's JWKS (RS256 or ES256, the key its
 * {@code kid} names), it has not expired, its issuer is the provider's, and its audience is the app's
 * client id. The JWKS is fetched once and kept ({@link JwkSetCache}); an unknown {@code kid} refetches.
 *
 * <p>In the provider's {@code config}: {@code clientId} (the expected audience), optional
 * {@code audience} (more accepted audiences, e.g. an iOS bundle id beside a web client id),
 * {@code jwksUrl} and {@code issuer} (default: the real provider's).
 */
final class IdTokens {
    /** Clock skew allowed on {@code exp}/{@code iat}, as OIDC libraries do. */
    static final Duration SKEW = Duration.ofSeconds(60);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JwkSetCache jwks;
    private final InstantSource clock;

    IdTokens(JwkSetCache jwks, InstantSource clock) {
        this.jwks = jwks;
        this.clock = clock;
    }

    static String defaultJwksUrl(String type) {
        return type.equals("oauth2-apple") ? "https://appleid.apple.com/auth/keys" : "https://www.googleapis.com/oauth2/v3/certs";
    }

    static List<String> defaultIssuers(String type) {
        return type.equals("oauth2-apple") ? List.of("https://appleid.apple.com")
                : List.of("https://accounts.google.com", "accounts.google.com");
    }

    /** The profile (subject, email, name…) of a verified ID token; a 401 AuthError naming what failed otherwise. */
    OAuthProviders.Profile verify(AuthProviderDef provider, String idToken) {
        Json config = provider.config().obj("config");
        String who = provider.type().equals("oauth2-apple") ? "Apple" : "Google";
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(idToken);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("the " + who + " id_token is not a signed JWT");
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(algorithm) && !JWSAlgorithm.ES256.equals(algorithm)) {
            throw refused("the " + who + " id_token is signed with " + algorithm + "; only RS256 and ES256 are accepted");
        }
        String url = config.text("jwksUrl", defaultJwksUrl(provider.type()));
        String keyId = jwt.getHeader().getKeyID();
        List<JWSVerifier> verifiers = verifiers(jwks.keys(url), keyId);
        if (verifiers.isEmpty()) {
            verifiers = verifiers(jwks.refreshed(url), keyId);
        }
        if (verifiers.isEmpty()) {
            throw refused("the " + who + " id_token names signing key " + (keyId == null ? "(none)" : "\"" + keyId + "\"")
                    + ", which the provider's key set (" + url + ") does not hold");
        }
        boolean verified = false;
        for (JWSVerifier verifier : verifiers) {
            try {
                verified |= jwt.verify(verifier);
            } catch (JOSEException e) {
                // a key of another type: try the next one
            }
        }
        if (!verified) {
            throw refused("the " + who + " id_token's signature does not verify with the provider's keys");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !now.minus(SKEW).isBefore(claims.getExpirationTime().toInstant())) {
            throw refused("the " + who + " id_token has expired; sign in with " + who + " again");
        }
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(SKEW))) {
            throw refused("the " + who + " id_token was issued in the future (check the clocks)");
        }
        List<String> issuers = config.has("issuer") ? List.of(config.text("issuer", "")) : defaultIssuers(provider.type());
        if (!issuers.contains(claims.getIssuer())) {
            throw refused("the " + who + " id_token was issued by " + claims.getIssuer() + ", not " + String.join(" or ", issuers));
        }
        Set<String> audiences = audiences(config);
        if (audiences.isEmpty()) {
            throw refused("no client id is configured to check the id_token's audience: set config.clientId in auth_providers/"
                    + provider.name() + ".json");
        }
        List<String> tokenAudience = claims.getAudience() == null ? List.of() : claims.getAudience();
        if (tokenAudience.stream().noneMatch(audiences::contains)) {
            throw refused("the " + who + " id_token was issued for " + tokenAudience + ", not for this app's client id");
        }
        if (claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw refused("the " + who + " id_token has no subject (sub)");
        }
        JsonNode fields;
        try {
            fields = MAPPER.readTree(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims.toJSONObject()));
        } catch (java.io.IOException e) {
            throw refused("the " + who + " id_token's claims are not readable");
        }
        return OAuthProviders.profile(fields);
    }

    private static Set<String> audiences(Json config) {
        Set<String> audiences = new LinkedHashSet<>();
        String clientId = config.text("clientId", "");
        if (!clientId.isEmpty()) {
            audiences.add(clientId);
        }
        JsonNode extra = config.get("audience");
        if (extra != null && extra.isTextual() && !extra.asText().isEmpty()) {
            audiences.add(extra.asText());
        } else if (extra != null && extra.isArray()) {
            extra.forEach(a -> {
                if (a.isTextual() && !a.asText().isEmpty()) {
                    audiences.add(a.asText());
                }
            });
        }
        return audiences;
    }

    /** Verifiers for the keys that may have signed: the one the kid names, or every signing key when there is no kid. */
    private static List<JWSVerifier> verifiers(JWKSet keys, String keyId) {
        List<JWSVerifier> verifiers = new ArrayList<>();
        for (JWK key : keys.getKeys()) {
            if (keyId != null && !keyId.equals(key.getKeyID())) {
                continue;
            }
            try {
                if (key instanceof RSAKey rsa) {
                    verifiers.add(new RSASSAVerifier(rsa));
                } else if (key instanceof ECKey ec) {
                    verifiers.add(new ECDSAVerifier(ec));
                }
            } catch (JOSEException e) {
                // an unusable key (e.g. a curve we cannot verify): skip it
            }
        }
        return verifiers;
    }

    private static Failure refused(String message) {
        return new Unauthenticated("AuthError", message);
    }
}
