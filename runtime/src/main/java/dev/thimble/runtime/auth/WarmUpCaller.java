package dev.thimble.runtime.auth;

import org.bson.Document;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The start-time warm-up's own caller (decision record 0075): an access token the server signs for itself so that the
 * warm-up's loopback {@code POST functions/call} goes through the real token check ({@link Tokens#verify}, the
 * authentication step, the route) before the first client's call does.
 *
 * <p>Why it cannot be a client's way in: the token names a user id no user has ({@link #USER_ID}: user ids are
 * ObjectIds, so the user store never finds it) and a session id that is 128 random bits made for this warm-up, held
 * only here and in the token, which never leaves the process (it is sent over loopback to this server and not logged:
 * the route drops the Authorization header from what it records). It is accepted only between {@link #begin} and
 * {@link #end}, and only as this warm-up's caller, whose calls run the warm-up's functions and store their log
 * records in the warm-up's scratch collection. No user, session or identity is stored for it.
 */
final class WarmUpCaller {
    /** The warm-up caller's user id: not an ObjectId, so no stored user can have it. */
    static final String USER_ID = "thimble-warm-up";
    /** The one User object of warm-up callers; {@link AuthService.Authenticated#warmUp} compares by identity. */
    static final User USER = new User(USER_ID, "normal", new Document(), List.of(), false, Instant.EPOCH, Instant.EPOCH);

    private final Tokens tokens;
    private final SecureRandom random = new SecureRandom();
    private volatile Issued current;

    private record Issued(String token, String sessionId) {
    }

    WarmUpCaller(Tokens tokens) {
        this.tokens = tokens;
    }

    /** A token for a warm-up beginning now; the one of a warm-up still running is no longer accepted. */
    synchronized String begin() {
        end();
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        String sessionId = "warm-up-" + HexFormat.of().formatHex(secret);
        String token = tokens.issueAccess(USER_ID, sessionId, USER_ID, new Document());
        current = new Issued(token, sessionId);
        return token;
    }

    /** The warm-up's caller when {@code claims} are those of the running warm-up's token; null for any other token. */
    AuthService.Authenticated of(Tokens.Claims claims) {
        Issued now = current;
        if (now == null || !USER_ID.equals(claims.userId()) || !now.sessionId().equals(claims.sessionId())) {
            return null;
        }
        return new AuthService.Authenticated(USER, claims);
    }

    /** The warm-up ended: its token is refused from now on (as any token whose user does not exist). */
    synchronized void end() {
        Issued was = current;
        current = null;
        if (was != null) {
            tokens.forget(was.token());
        }
    }
}
