package dev.thimble.runtime.services;

import dev.thimble.runtime.errors.ApiError;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.principal.Principal;
import dev.thimble.runtime.server.ClientHooks;
import org.bson.Document;

import java.util.function.Function;

/**
 * The user a {@code run_as_authed_user} webhook (or an {@code application}-authenticated endpoint) runs as,
 * from the request's credentials (STITCH-SPEC §5B): {@code Authorization: Bearer <access token>}, an API key
 * ({@code api-key}, {@code apiKey} or {@code X-Stitch-Api-Key}), email and password ({@code email}/{@code password}
 * or {@code X-Stitch-Email}/{@code X-Stitch-Password}), or a custom JWT ({@code jwtTokenString}). Logins go
 * through {@link AuthService}, with the same checks and throttling as the client API; a custom JWT of an identity
 * that has no user yet creates one only when the hook's {@code create_user_on_auth} is true.
 */
final class HookIdentity {
    private HookIdentity() {
    }

    static Principal authenticate(String what, AppModel app, AuthService auth, Function<String, Document> customData,
                                     boolean fetchCustomData, boolean createUserOnAuth, ClientHooks.Request request) {
        if (auth == null) {
            throw new ApiError(500, "InternalServerError", what + " runs as the authenticated user, but this runtime has no authentication");
        }
        AuthService.Authenticated user;
        try {
            String authorization = request.header("Authorization");
            String apiKey = first(request, "api-key", "apiKey", "X-Stitch-Api-Key");
            String email = first(request, "email", "X-Stitch-Email");
            String jwt = first(request, "jwtTokenString");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                user = auth.authenticate(authorization.substring(7).trim());
            } else if (apiKey != null) {
                user = login(app, auth, "api-key", new Document("key", apiKey), request, true);
            } else if (email != null) {
                String password = first(request, "password", "X-Stitch-Password");
                user = login(app, auth, "local-userpass", new Document("username", email).append("password", password == null ? "" : password), request, true);
            } else if (jwt != null) {
                user = login(app, auth, "custom-token", new Document("token", jwt), request, createUserOnAuth);
            } else {
                throw new ApiError(401, HookValidation.AUTH_FAILED, what + " runs as the authenticated user: send Authorization: Bearer"
                        + " <access token>, an api-key header, email and password headers, or jwtTokenString");
            }
        } catch (ApiError e) {
            if (e.code().equals(HookValidation.AUTH_FAILED)) {
                throw e;
            }
            if (e.code().equals("UserNotFound")) {
                throw new ApiError(401, HookValidation.AUTH_FAILED, what + ": error finding user: " + e.getMessage()
                        + " (set create_user_on_auth to true to create users on their first request)");
            }
            throw new ApiError(e.status() >= 500 ? e.status() : 401, HookValidation.AUTH_FAILED, what + ": authentication failed: " + e.getMessage());
        }
        Document custom = fetchCustomData ? customData.apply(user.user().id()) : new Document();
        return user.user().principal(custom == null ? new Document() : custom);
    }

    /**
     * A login through the app's enabled provider of {@code type}. {@code createUser} false refuses an identity
     * that has no user yet: {@code create_user_on_auth} is about identities from outside systems (custom JWTs);
     * email/password accounts and API keys are made in the app itself, so their callers pass true.
     */
    private static AuthService.Authenticated login(AppModel app, AuthService auth, String type, Document body, ClientHooks.Request request,
                                                   boolean createUser) {
        String provider = app.authProviders().stream().filter(p -> p.type().equals(type) && !p.disabled())
                .map(AuthProviderDef::name).findFirst()
                .orElseThrow(() -> new ApiError(401, HookValidation.AUTH_FAILED, "the app has no enabled " + type + " provider for these credentials"));
        AuthService.LoginResult result = auth.login(provider, body, request.remoteAddress(), null, createUser);
        return auth.authenticate(result.accessToken());
    }

    private static String first(ClientHooks.Request request, String... names) {
        for (String name : names) {
            String value = request.header(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
