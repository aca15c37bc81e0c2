package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.app.AuthProviderDef;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The redirect OAuth flow's server-side state (CLIENT-PROTOCOL §7): a pending login per opaque
 * {@code state} we send to the IdP, kept for {@link #LIFETIME} and usable once, and the URLs of the
 * round trip (the redirect allow-list check, the fragment back to the app).
 */
final class OAuthFlow {
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A login waiting for the IdP's callback. {@code linkTo} is the linking user, or null. */
    record Pending(String providerName, String redirect, String clientState, String deviceId,
                   AuthService.Authenticated linkTo, String callbackUrl, Instant expires) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final InstantSource clock;

    OAuthFlow(InstantSource clock) {
        this.clock = clock;
    }

    String open(Pending login) {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.expires().isBefore(now));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pending.put(state, login);
        return state;
    }

    /** Takes the pending login of a state (once); an unknown, used or expired state is refused. */
    Pending take(String state) {
        Pending login = state == null ? null : pending.remove(state);
        if (login == null || login.expires().isBefore(clock.instant())) {
            throw new InvalidInput("AuthError", "unknown or expired OAuth state: this sign-in was not started here, was already"
                    + " completed, or took longer than " + LIFETIME.toMinutes() + " minutes; start the sign-in again");
        }
        return login;
    }

    /** Refuses a redirect that is not in the provider's {@code redirect_uris} (compared without query and fragment). */
    static void requireAllowedRedirect(AuthProviderDef provider, String redirect) {
        if (redirect == null || redirect.isBlank()) {
            throw new InvalidInput("MissingParameter", "\"redirect\" is required: the URL to return to after signing in");
        }
        List<String> allowed = new ArrayList<>();
        var uris = provider.config().get("redirect_uris");
        if (uris != null && uris.isArray()) {
            uris.forEach(u -> allowed.add(u.asText()));
        }
        String base = trim(redirect);
        if (allowed.stream().map(OAuthFlow::trim).noneMatch(base::equals)) {
            throw new InvalidInput("InvalidParameter", "redirect URL " + redirect + " is not allowed for " + provider.name()
                    + ": add it to redirect_uris in auth_providers/" + provider.name() + ".json");
        }
    }

    private static String trim(String uri) {
        String base = uri;
        int cut = base.indexOf('#');
        if (cut >= 0) {
            base = base.substring(0, cut);
        }
        cut = base.indexOf('?');
        if (cut >= 0) {
            base = base.substring(0, cut);
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The device id in the SDK's {@code device} parameter (base64 JSON), or a new one. */
    static String deviceId(String deviceParam) {
        if (deviceParam != null && !deviceParam.isBlank()) {
            try {
                String json = new String(Base64.getDecoder().decode(deviceParam.trim().replace('-', '+').replace('_', '/')),
                        StandardCharsets.UTF_8);
                Object id = dev.thimble.runtime.errors.JsonNesting.tooDeep(json, "device") != null ? null : Document.parse(json).get("deviceId");
                if (id instanceof String text && ObjectId.isValid(text)) {
                    return text;
                }
                if (id instanceof ObjectId oid) {
                    return oid.toHexString();
                }
            } catch (RuntimeException e) {
                // an unreadable device description only costs the device id
            }
        }
        return new ObjectId().toHexString();
    }

    /** The app's redirect URL with the result fragment, in both the Stitch and the Realm families. */
    static String back(String redirect, Map<String, String> values) {
        int hash = redirect.indexOf('#');
        String base = hash >= 0 ? redirect.substring(0, hash) : redirect;
        Map<String, String> fragment = new LinkedHashMap<>();
        for (String family : List.of("_stitch_", "_baas_")) {
            values.forEach((k, v) -> fragment.put(family + k, v));
        }
        return base + "#" + OAuthProviders.form(fragment);
    }
}
