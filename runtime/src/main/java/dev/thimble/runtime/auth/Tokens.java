package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.Unauthenticated;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.bson.Document;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.Map;

/**
 * Signs and verifies the app's access and refresh tokens: HS256 JWTs with the claims the SDKs read
 * ({@code exp} and {@code iat} in seconds, {@code user_data}, {@code baas_device_id}, …; CLIENT-PROTOCOL §0).
 * Verifying an access token is in memory only (signature and expiry); a refresh token is also
 * checked against its stored session by the caller, so it can be revoked.
 */
public final class Tokens {
    public static final String ACCESS = "access";
    public static final String REFRESH = "refresh";

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final InstantSource clock;
    private final String appId;
    private final Duration accessLifetime;
    private final Duration refreshLifetime;
    /** Tokens this key verified, by their text (see {@link #remember}); at most {@link #MAX_REMEMBERED}. */
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_REMEMBERED = 1024;

    /**
     * @param signingKey at least 32 bytes, kept in the app's secret store
     */
    public Tokens(byte[] signingKey, InstantSource clock, String appId, Duration accessLifetime, Duration refreshLifetime) {
        try {
            this.signer = new MACSigner(signingKey);
            this.verifier = new MACVerifier(signingKey);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("The token signing key must be at least 256 bits", e);
        }
        this.clock = clock;
        this.appId = appId;
        this.accessLifetime = accessLifetime;
        this.refreshLifetime = refreshLifetime;
    }

    public Duration refreshLifetime() {
        return refreshLifetime;
    }

    /** A new access token for a session. {@code userData} is the user's custom data (may be empty). */
    public String issueAccess(String userId, String sessionId, String deviceId, Document userData) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .issuer(appId)
                // a unique id: two tokens issued within one second (iat has second precision) still differ
                .jwtID(java.util.UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(accessLifetime)))
                .claim("typ", ACCESS)
                .claim("baas_device_id", deviceId)
                .claim("baas_domain_id", appId)
                .claim("baas_id", sessionId)
                .claim("baas_project_id", appId)
                .claim("user_data", userData == null ? Map.of() : JsonClaims.toPlain(userData))
                .build();
        return sign(claims);
    }

    public String issueRefresh(String userId, String sessionId, String deviceId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .issuer(appId) // a server hosting several apps routes the token-only routes by it
                .jwtID(sessionId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(refreshLifetime)))
                .claim("typ", REFRESH)
                .claim("baas_device_id", deviceId)
                .claim("baas_data", null)
                .claim("baas_identity", null)
                .build();
        return sign(claims);
    }

    /** The verified claims of a token of the expected kind, or InvalidSession with a reason a person can act on. */
    public Claims verify(String token, String expectedType) {
        Verified known = verified.get(token);
        if (known == null) {
            known = parseAndVerify(token, expectedType);
            remember(token, known);
        }
        if (!expectedType.equals(known.type())) {
            throw Unauthenticated.invalidSession("invalid session: expected a " + expectedType + " token but got a " + known.type() + " token");
        }
        // expiry is checked on every use, cached or not
        Instant expires = known.claims().expires();
        if (expires == null || !clock.instant().isBefore(expires)) {
            throw Unauthenticated.invalidSession("invalid session: " + expectedType + " token expired");
        }
        return known.claims();
    }

    /** A token whose signature this key verified, with its claims; {@code type} as the token says. */
    private record Verified(String type, Claims claims) {
    }

    /**
     * Signature checks and claim parsing cost more than the rest of a small request (issue 18): a token
     * verified once is remembered by its exact text, so the next request with it skips them. Only the
     * same bytes match, so a changed or forged token is always verified afresh.
     */
    private void remember(String token, Verified known) {
        if (verified.size() >= MAX_REMEMBERED) {
            Instant now = clock.instant();
            verified.values().removeIf(v -> v.claims().expires() == null || !now.isBefore(v.claims().expires()));
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
        }
        verified.put(token, known);
    }

    /** Forgets a remembered token (the warm-up's, decision record 0075): its next use is verified afresh. */
    void forget(String token) {
        verified.remove(token);
    }

    private Verified parseAndVerify(String token, String expectedType) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw Unauthenticated.invalidSession("invalid session: the " + expectedType + " token is not a valid token; log in again");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw Unauthenticated.invalidSession("invalid session: the " + expectedType + " token was not issued by this app; log in again");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String type = claims.getStringClaim("typ");
            Date expires = claims.getExpirationTime();
            String sessionId = ACCESS.equals(type) ? claims.getStringClaim("baas_id") : claims.getJWTID();
            Map<String, Object> userData = claims.getJSONObjectClaim("user_data");
            return new Verified(type, new Claims(claims.getSubject(), sessionId, claims.getStringClaim("baas_device_id"),
                    claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant(), expires == null ? null : expires.toInstant(),
                    userData == null ? new Document() : Document.parse(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(userData))));
        } catch (JOSEException | ParseException e) {
            throw Unauthenticated.invalidSession("invalid session: the " + expectedType + " token cannot be read; log in again");
        }
    }

    private String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    /**
     * What a verified token says.
     *
     * @param userData the custom user data the access token carries (empty for refresh tokens): rules
     *                 and functions read it from here, as of the token's issue, like Stitch did
     */
    /** A token's claims; shared by every request that presents the same token, so read-only ({@code userData} too). */
    public record Claims(String userId, String sessionId, String deviceId, Instant issued, Instant expires, Document userData) {
    }
}
