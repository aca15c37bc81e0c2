package dev.thimble.runtime.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.thimble.runtime.ApiError;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admin access and refresh tokens: JWTs signed with the home's own admin key
 * ({@code <home>/.thimble/admin/token-key}), which no app knows, and marked with an audience of
 * their own; so an admin token is refused by every app's client API and an app's client token is
 * refused here. A refresh token names a session; logging out ends it. Sessions are kept in memory: a
 * restart of the server logs every admin out.
 */
public final class AdminTokens {
    static final String ISSUER = "thimble-admin";
    static final String AUDIENCE = "thimble-admin-api";
    private static final Duration ACCESS_LIFETIME = Duration.ofMinutes(30);
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(60);

    private final byte[] key;
    private final InstantSource clock;
    /** session id → admin id. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    AdminTokens(byte[] key, InstantSource clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    /** The tokens of a home: its key is made on first use and kept, readable by the owner only. */
    public static AdminTokens ofStateFolder(Path stateFolder, InstantSource clock) {
        Path file = stateFolder.resolve("admin").resolve("token-key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path temp = Files.createTempFile(file.getParent(), "token-key", ".tmp");
                AdminIdentities.restrictToOwner(temp);
                Files.write(temp, fresh);
                Files.move(temp, file);
            }
            return new AdminTokens(Files.readAllBytes(file), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or make the admin token key " + file + ": " + e.getMessage(), e);
        }
    }

    /** A login's tokens. */
    public record Session(String accessToken, String refreshToken, String sessionId) {
    }

    Session login(String adminId) {
        String sessionId = new ObjectId().toHexString();
        sessions.put(sessionId, adminId);
        return new Session(access(adminId), sign(adminId, "refresh", sessionId, REFRESH_LIFETIME), sessionId);
    }

    String access(String adminId) {
        return sign(adminId, "access", null, ACCESS_LIFETIME);
    }

    /**
     * The admin an access token belongs to.
     *
     * @throws ApiError 401 InvalidSession for a missing, forged, expired or refresh token, or a client token
     */
    String verifyAccess(String token) {
        JWTClaimsSet claims = verify(token, "access");
        return claims.getSubject();
    }

    /** The admin and session a refresh token belongs to; 401 when the session ended. */
    String[] verifyRefresh(String token) {
        JWTClaimsSet claims = verify(token, "refresh");
        String sessionId = (String) claims.getClaim("sid");
        String admin = sessionId == null ? null : sessions.get(sessionId);
        if (admin == null || !admin.equals(claims.getSubject())) {
            throw ApiError.invalidSession("invalid session: failed to find refresh token");
        }
        return new String[]{admin, sessionId};
    }

    void logout(String sessionId) {
        sessions.remove(sessionId);
    }

    private String sign(String adminId, String type, String sessionId, Duration lifetime) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(adminId)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime))).claim("typ", type);
        if (sessionId != null) {
            claims.claim("sid", sessionId);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an admin token", e);
        }
    }

    private JWTClaimsSet verify(String token, String type) {
        if (token == null || token.isEmpty()) {
            throw ApiError.invalidSession("invalid session: this admin API route needs an admin access token"
                    + " (Authorization: Bearer <access_token> from POST /api/admin/v3.0/auth/providers/…/login)");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.verify(new MACVerifier(key))) {
                throw notAdmin();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer()) || claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
                throw notAdmin();
            }
            if (!Objects.equals(type, claims.getClaim("typ"))) {
                throw ApiError.invalidSession(type.equals("refresh") ? "invalid refresh token: incorrect token type"
                        : "invalid session: this is a refresh token; send the access token here (POST /auth/session gives a new one)");
            }
            Date expires = claims.getExpirationTime();
            if (expires == null || !expires.toInstant().isAfter(clock.instant())) {
                throw ApiError.invalidSession("invalid session: access token expired");
            }
            return claims;
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw notAdmin();
        }
    }

    private static ApiError notAdmin() {
        return ApiError.invalidSession("invalid session: this is not an admin token of this server"
                + " (an app's user token is not accepted by the admin API); log in as an admin");
    }
}
