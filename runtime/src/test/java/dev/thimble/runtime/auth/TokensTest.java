package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.Unauthenticated;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifying tokens: a token verified once is remembered by its exact text (issue 18), and that never
 * lets a token through that a fresh verification would refuse: expiry and kind are checked on every
 * use, and a token that differs in any byte is verified afresh.
 */
class TokensTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final Tokens tokens = new Tokens(KEY, clock, "todo-abcde", Duration.ofMinutes(30), Duration.ofDays(60));

    @Test
    void aTokenVerifiedAgainGivesTheSameClaims() {
        String token = tokens.issueAccess("user-1", "session-1", "device-1", new Document("team", "blue"));

        Tokens.Claims first = tokens.verify(token, Tokens.ACCESS);
        Tokens.Claims again = tokens.verify(token, Tokens.ACCESS);

        assertThat(again).isEqualTo(first);
        assertThat(again.userId()).isEqualTo("user-1");
        assertThat(again.sessionId()).isEqualTo("session-1");
        assertThat(again.userData()).isEqualTo(new Document("team", "blue"));
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpired() {
        String token = tokens.issueAccess("user-1", "session-1", null, new Document());
        tokens.verify(token, Tokens.ACCESS);

        now.set(now.get().plus(Duration.ofMinutes(31)));

        assertThatThrownBy(() -> tokens.verify(token, Tokens.ACCESS)).isInstanceOf(Unauthenticated.class)
                .hasMessageContaining("access token expired");
    }

    @Test
    void aRememberedAccessTokenIsStillNotARefreshToken() {
        String access = tokens.issueAccess("user-1", "session-1", null, new Document());
        tokens.verify(access, Tokens.ACCESS);

        assertThatThrownBy(() -> tokens.verify(access, Tokens.REFRESH)).isInstanceOf(Unauthenticated.class)
                .hasMessageContaining("expected a refresh token but got a access token");
    }

    @Test
    void aTokenWithOtherClaimsUnderARememberedTokensSignatureIsRefused() {
        String genuine = tokens.issueAccess("user-1", "session-1", null, new Document());
        tokens.verify(genuine, Tokens.ACCESS);
        String[] parts = genuine.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("user-1", "user-2");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];

        assertThatThrownBy(() -> tokens.verify(tampered, Tokens.ACCESS)).isInstanceOf(Unauthenticated.class)
                .hasMessageContaining("not issued by this app");
        assertThat(tokens.verify(genuine, Tokens.ACCESS).userId()).isEqualTo("user-1");
    }

    @Test
    void aTokenOfAnotherKeyIsRefusedAlsoWhenTheSameClaimsWereRemembered() {
        String genuine = tokens.issueAccess("user-1", "session-1", null, new Document());
        tokens.verify(genuine, Tokens.ACCESS);
        Tokens other = new Tokens("another-key-another-key-another-k".getBytes(StandardCharsets.UTF_8), clock, "todo-abcde",
                Duration.ofMinutes(30), Duration.ofDays(60));
        String forged = other.issueAccess("user-1", "session-1", null, new Document());

        assertThatThrownBy(() -> tokens.verify(forged, Tokens.ACCESS)).isInstanceOf(Unauthenticated.class)
                .hasMessageContaining("not issued by this app");
    }

    @Test
    void moreTokensThanAreRememberedEachStillVerifyAsThemselves() {
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < Tokens.MAX_REMEMBERED + 50; i++) {
            issued.add(tokens.issueAccess("user-" + i, "session-" + i, null, new Document()));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < issued.size(); i++) {
                assertThat(tokens.verify(issued.get(i), Tokens.ACCESS).userId()).isEqualTo("user-" + i);
            }
        }
    }
}
