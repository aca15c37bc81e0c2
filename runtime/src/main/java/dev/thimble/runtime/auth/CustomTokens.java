package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.Unauthenticated;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import org.bson.Document;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Verifies the JWTs of {@code custom-token} providers (STITCH-SPEC §6): the signature (HS256 with the
 * secrets named in {@code secret_config.signingKeys}, RS256 with PEM public keys in those secrets or
 * with the keys at {@code jwkURI}), {@code exp}, {@code nbf}, {@code iat}, {@code aud}, {@code sub},
 * and the {@code metadata_fields} copied into the user's data. Every refusal is a 401 {@code AuthError}
 * saying exactly what failed.
 */
final class CustomTokens {
    private final Function<String, Optional<String>> secrets;
    private final JwkSetCache jwks;
    private final InstantSource clock;

    CustomTokens(Function<String, Optional<String>> secrets, JwkSetCache jwks, InstantSource clock) {
        this.secrets = secrets;
        this.jwks = jwks;
        this.clock = clock;
    }

    /**
     * What a valid token says.
     *
     * @param subject  the {@code sub} claim: the identity id
     * @param metadata the metadata fields, under their names in the user's data
     */
    record Verified(String subject, Document metadata) {
    }

    Verified verify(AuthProviderDef provider, String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("the token is not a signed JWT (header.payload.signature, base64url JSON): " + e.getMessage());
        }
        Json config = provider.config().obj("config");
        boolean jwkUri = config.bool("useJWKURI", false);
        JWSAlgorithm expected = jwkUri ? JWSAlgorithm.RS256 : expectedAlgorithm(config.text("signingAlgorithm", "HS256"));
        JWSAlgorithm actual = jwt.getHeader().getAlgorithm();
        if (!expected.equals(actual)) {
            throw refused("the token is signed with " + actual + ", but this provider expects " + expected);
        }
        List<JWSVerifier> verifiers = jwkUri ? jwkVerifiers(config.text("jwkURI", ""), jwt.getHeader().getKeyID())
                : secretVerifiers(provider, expected);
        if (!verifiesWithAny(jwt, verifiers)) {
            throw refused("signature does not verify with any configured signing key");
        }
        try {
            checkTimes(claims);
            checkAudience(config, claims.getAudience());
        } catch (ParseException e) {
            throw refused("the token's claims cannot be read: " + e.getMessage());
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw refused("the token has no sub claim (the user's id in your system)");
        }
        return new Verified(subject, metadata(provider, claims.getClaims()));
    }

    // ---- signatures ----------------------------------------------------------------------------

    private static JWSAlgorithm expectedAlgorithm(String configured) {
        return switch (configured) {
            case "HS256" -> JWSAlgorithm.HS256;
            case "RS256" -> JWSAlgorithm.RS256;
            default -> throw refused("this provider's signingAlgorithm \"" + configured + "\" is not supported; use HS256 or RS256");
        };
    }

    /** One verifier per usable signing-key secret; refuses, naming the secrets, when none is usable. */
    private List<JWSVerifier> secretVerifiers(AuthProviderDef provider, JWSAlgorithm algorithm) {
        List<String> names = signingKeyNames(provider.config().obj("secret_config").get("signingKeys"));
        if (names.isEmpty()) {
            throw refused("no signing key is configured: set secret_config.signingKeys in auth_providers/" + provider.name() + ".json");
        }
        List<JWSVerifier> verifiers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            Optional<String> value = secrets.apply(name);
            if (value.isEmpty() || value.get().isEmpty()) {
                problems.add("secret \"" + name + "\" has no value");
                continue;
            }
            try {
                verifiers.add(algorithm.equals(JWSAlgorithm.HS256) ? hmac(name, value.get()) : rsa(value.get()));
            } catch (IllegalArgumentException e) {
                problems.add("secret \"" + name + "\" " + e.getMessage());
            }
        }
        if (verifiers.isEmpty()) {
            throw refused("no usable signing key: " + String.join("; ", problems));
        }
        return verifiers;
    }

    private static List<String> signingKeyNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node != null && node.isTextual() && !node.asText().isEmpty()) {
            names.add(node.asText());
        } else if (node != null && node.isArray()) {
            node.forEach(n -> {
                if (n.isTextual() && !n.asText().isEmpty()) {
                    names.add(n.asText());
                }
            });
        }
        return names;
    }

    private static JWSVerifier hmac(String name, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("is shorter than 32 characters (HS256 keys must be 32 to 512)");
        }
        try {
            return new MACVerifier(bytes);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot be an HS256 key: " + e.getMessage());
        }
    }

    /** An RS256 verifier from a PEM public key, a PEM certificate, or an RSA JWK. */
    static JWSVerifier rsa(String key) {
        String text = key.strip();
        try {
            if (text.startsWith("{")) {
                return new RSASSAVerifier(RSAKey.parse(text));
            }
            if (text.contains("-----BEGIN CERTIFICATE-----")) {
                PublicKey publicKey = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
                return rsaVerifier(publicKey);
            }
            if (text.contains("-----BEGIN PUBLIC KEY-----")) {
                byte[] der = Base64.getMimeDecoder().decode(text
                        .replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").strip());
                return rsaVerifier(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)));
            }
        } catch (ParseException | JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a readable RSA public key (" + e.getMessage() + ")");
        }
        throw new IllegalArgumentException("is not an RSA public key: expected PEM (-----BEGIN PUBLIC KEY----- or a certificate) or a JWK");
    }

    private static JWSVerifier rsaVerifier(PublicKey key) {
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("holds a " + key.getAlgorithm() + " key, not RSA");
        }
        return new RSASSAVerifier(rsa);
    }

    /** The RSA keys at the JWK URI that may have signed the token: the one its kid names, else all. */
    private List<JWSVerifier> jwkVerifiers(String uri, String keyId) {
        if (uri.isBlank()) {
            throw refused("useJWKURI is set but jwkURI is empty");
        }
        List<JWSVerifier> verifiers = rsaVerifiers(jwks.keys(uri), keyId);
        if (verifiers.isEmpty() && keyId != null) {
            verifiers = rsaVerifiers(jwks.refreshed(uri), keyId);
        }
        if (verifiers.isEmpty()) {
            throw refused(keyId == null ? "the JWK URI " + uri + " serves no RSA key"
                    : "the token's key id (kid) \"" + keyId + "\" is not among the keys at " + uri);
        }
        return verifiers;
    }

    private static List<JWSVerifier> rsaVerifiers(JWKSet keys, String keyId) {
        List<JWSVerifier> verifiers = new ArrayList<>();
        for (JWK key : keys.getKeys()) {
            if (key instanceof RSAKey rsa && (keyId == null || keyId.equals(rsa.getKeyID()))) {
                try {
                    verifiers.add(new RSASSAVerifier(rsa));
                } catch (JOSEException e) {
                    // an unusable key cannot have signed it; the others are still tried
                }
            }
        }
        return verifiers;
    }

    private static boolean verifiesWithAny(SignedJWT jwt, List<JWSVerifier> verifiers) {
        for (JWSVerifier verifier : verifiers) {
            try {
                if (jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // this key cannot check it (e.g. too short for the algorithm): try the next
            }
        }
        return false;
    }

    // ---- claims --------------------------------------------------------------------------------

    private void checkTimes(JWTClaimsSet claims) throws ParseException {
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            throw refused("the token has no exp claim: custom JWTs must say when they expire");
        }
        if (!now.isBefore(expires.toInstant())) {
            throw refused("token expired at " + expires.toInstant());
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant())) {
            throw refused("token is not valid before " + notBefore.toInstant() + " (nbf)");
        }
        Date issued = claims.getIssueTime();
        if (issued != null && issued.toInstant().isAfter(now)) {
            throw refused("token was issued in the future: iat " + issued.toInstant() + " is after the server's time " + now);
        }
    }

    /** With an audience configured, the token's aud must hold all of it, or any of it with requireAnyAudience. */
    private static void checkAudience(Json config, List<String> tokenAudience) {
        List<String> accepted = new ArrayList<>();
        JsonNode audience = config.get("audience");
        if (audience != null && audience.isTextual() && !audience.asText().isBlank()) {
            accepted.add(audience.asText().strip());
        } else if (audience != null && audience.isArray()) {
            audience.forEach(a -> {
                if (a.isTextual() && !a.asText().isBlank()) {
                    accepted.add(a.asText().strip());
                }
            });
        }
        if (accepted.isEmpty()) {
            return;
        }
        boolean any = config.bool("requireAnyAudience", false);
        if (tokenAudience == null || tokenAudience.isEmpty()) {
            throw refused("the token has no aud claim; this provider requires " + (any ? "any of " : "all of ") + accepted);
        }
        boolean ok = any ? accepted.stream().anyMatch(tokenAudience::contains) : tokenAudience.containsAll(accepted);
        if (!ok) {
            throw refused("audience " + tokenAudience + " not accepted: this provider requires "
                    + (any || accepted.size() == 1 ? "any of " : "all of ") + accepted);
        }
    }

    /**
     * The metadata fields: each {@code name} is a dotted path into the token's claims; the value goes
     * into the user's data under {@code field_name}, or under the path's last segment when none is given.
     */
    private static Document metadata(AuthProviderDef provider, Map<String, Object> claims) {
        Document metadata = new Document();
        JsonNode fields = provider.config().get("metadata_fields");
        if (fields == null || !fields.isArray()) {
            return metadata;
        }
        for (JsonNode field : fields) {
            String path = field.path("name").asText("");
            if (path.isEmpty()) {
                continue;
            }
            Object value = at(claims, path);
            if (value == null) {
                if (field.path("required").asBoolean(false)) {
                    throw refused("required metadata field " + path + " missing from the token");
                }
                continue;
            }
            String fieldName = field.path("field_name").asText("");
            if (fieldName.isEmpty()) {
                fieldName = path.substring(path.lastIndexOf('.') + 1);
            }
            metadata.put(fieldName, toBson(value));
        }
        return metadata;
    }

    private static Object at(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String segment : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(segment);
        }
        return current;
    }

    /** A claim value (string, number, boolean, list, map) as the BSON value it reads as. */
    private static Object toBson(Object claimValue) {
        return Document.parse(JSONObjectUtils.toJSONString(Map.of("v", claimValue))).get("v");
    }

    private static Failure refused(String message) {
        return new Unauthenticated("AuthError", message);
    }
}
