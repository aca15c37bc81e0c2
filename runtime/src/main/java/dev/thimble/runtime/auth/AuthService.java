package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.NotFound;
import dev.thimble.runtime.errors.InvalidInput;
import dev.thimble.runtime.errors.Unauthenticated;
import dev.thimble.runtime.errors.Forbidden;
import dev.thimble.runtime.errors.Conflict;
import dev.thimble.runtime.principal.Principal;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.AuthProviderDef;
import dev.thimble.runtime.app.Json;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Authentication of one app: logins through its providers, sessions, profiles, API keys, and the
 * email/password account flows. Every method either succeeds or throws an {@link Failure} in the
 * protocol's shape; nothing is changed by a refused request.
 */
public final class AuthService {
    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
    /**
     * One @, something on each side, and no spaces, control or invisible format characters (which
     * could forge lines in logs or hide in a name shown to people).
     */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+@[^@\\s\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+$");
    /** The longest address SMTP can deliver to. */
    private static final int MAX_EMAIL_LENGTH = 254;
    private static final Duration USERPASS_TOKEN_LIFETIME = Duration.ofMinutes(30);

    private final Supplier<AppModel> app;
    private final UserStore users;
    private final SessionStore sessions;
    private final ApiKeyStore apiKeys;
    private final UserpassStore userpass;
    private final Tokens tokens;
    private final WarmUpCaller warmUpCaller;
    private final InstantSource clock;
    private final LoginThrottle throttle;
    private final Function<String, Document> customData;
    private final AuthFunctions functions;
    private final CustomTokens customTokens;
    private final IdTokens idTokens;
    private final OAuthProviders oauth;
    private final OAuthFlow oauthFlow;
    private volatile Consumer<OutgoingMail> outbox = mail -> { };
    private volatile AuthEvents events = AuthEvents.NONE;

    /**
     * @param customData the custom user data document of a user id (empty when none or not configured)
     */
    public AuthService(Supplier<AppModel> app, AuthStores stores, Tokens tokens, InstantSource clock,
                       LoginThrottle throttle, Function<String, Document> customData) {
        this(app, stores, tokens, clock, throttle, customData, AuthFunctions.NONE, name -> Optional.empty());
    }

    /**
     * @param customData the custom user data document of a user id (empty when none or not configured)
     * @param functions  runs the custom-function provider's function and the confirmation and reset functions
     * @param secrets    the value of a secret by name (custom-token signing keys)
     */
    public AuthService(Supplier<AppModel> app, AuthStores stores, Tokens tokens, InstantSource clock,
                       LoginThrottle throttle, Function<String, Document> customData,
                       AuthFunctions functions, Function<String, Optional<String>> secrets) {
        this.app = app;
        this.users = stores.users();
        this.sessions = stores.sessions();
        this.apiKeys = stores.apiKeys();
        this.userpass = stores.userpass();
        this.tokens = tokens;
        this.warmUpCaller = new WarmUpCaller(tokens);
        this.clock = clock;
        this.throttle = throttle;
        this.customData = customData;
        this.functions = functions;
        JwkSetCache jwks = new JwkSetCache(clock);
        this.customTokens = new CustomTokens(secrets, jwks, clock);
        this.idTokens = new IdTokens(jwks, clock);
        this.oauth = new OAuthProviders(secrets);
        this.oauthFlow = new OAuthFlow(clock);
    }

    /** What a login returns to the client. */
    public record LoginResult(String accessToken, String refreshToken, String userId, String deviceId) {
    }

    /**
     * The user behind a verified access token: the stored {@code user}, the token's {@code claims} and the
     * {@code principal} every room of the request sees (made once here, with the token's custom user data).
     */
    public record Authenticated(User user, Tokens.Claims claims, Principal principal) {
        public Authenticated(User user, Tokens.Claims claims) {
            this(user, claims, user.principal(claims.userData()));
        }

        /** Whether this is the start-time warm-up's own caller (decision record 0075), which no client can be. */
        public boolean warmUp() {
            return user == WarmUpCaller.USER;
        }
    }

    // ---- logins --------------------------------------------------------------------------------

    /**
     * Logs in through a provider. With {@code linkTo} (the caller's access token, for {@code ?link=true})
     * the identity is added to that user instead of logging in a new one.
     */
    public LoginResult login(String providerName, Document body, String remoteAddress, String linkTo) {
        return login(providerName, body, remoteAddress, linkTo, true);
    }

    /**
     * {@link #login(String, Document, String, String)}; with {@code createUser} false, valid credentials of an
     * identity that has no user yet are refused (401 UserNotFound) instead of creating one: for callers whose
     * config says not to ({@code create_user_on_auth: false} on HTTPS endpoints, webhooks and the Data API).
     */
    public LoginResult login(String providerName, Document body, String remoteAddress, String linkTo, boolean createUser) {
        AuthProviderDef provider = enabledProvider(providerName);
        String deviceId = deviceId(body);
        User.Identity identity;
        Document data;
        String userType = "normal";
        switch (provider.type()) {
            case "anon-user" -> {
                identity = new User.Identity(new ObjectId().toHexString(), "anon-user", providerId(provider), new Document());
                data = new Document();
            }
            case "local-userpass" -> {
                String email = requiredString(body, "username");
                String password = requiredString(body, "password");
                throttle.check(UserpassStore.normalise(email), remoteAddress);
                UserpassStore.Account account = userpass.verify(email, password).orElse(null);
                if (account == null) {
                    throttle.failed(UserpassStore.normalise(email), remoteAddress);
                    throw new Unauthenticated("InvalidPassword", "invalid username/password");
                }
                if (!account.confirmed()) {
                    boolean byFunction = provider.config().obj("config").bool("runConfirmationFunction", false);
                    throw new Unauthenticated("AuthError", "confirmation required: " + (byFunction
                            ? account.email() + " is pending confirmation by the app's confirmation function; confirm with"
                                    + " the token it was given, or retry the function (retryCustomConfirmation)"
                            : "confirm " + account.email() + " with the link that was sent, or ask for a new one (resend confirmation)"));
                }
                throttle.succeeded(UserpassStore.normalise(email), remoteAddress);
                identity = new User.Identity(account.id(), "local-userpass", providerId(provider), new Document("email", account.email()));
                data = new Document("email", account.email());
            }
            case "api-key" -> {
                String key = requiredString(body, "key");
                throttle.check(null, remoteAddress); // no account: an unknown key names none
                ApiKeyStore.ApiKey apiKey = apiKeys.findBySecret(key).orElse(null);
                if (apiKey == null) {
                    throttle.failed(null, remoteAddress);
                    throw new Unauthenticated("InvalidPassword", "invalid API key");
                }
                if (apiKey.disabled()) {
                    throw new Unauthenticated("InvalidPassword", "API key \"" + apiKey.name() + "\" is disabled");
                }
                if (!apiKey.isServerKey()) {
                    User owner = existingEnabledUser(apiKey.ownerUserId());
                    LoginResult result = issueSessionFor(owner, deviceId);
                    tell(AuthEvents.Kind.LOGIN, owner, List.of("api-key"));
                    return result;
                }
                identity = new User.Identity(apiKey.id(), "api-key", providerId(provider), new Document("name", apiKey.name()));
                data = new Document("name", apiKey.name());
                userType = "server";
            }
            case "custom-token" -> {
                CustomTokens.Verified verified = customTokens.verify(provider, requiredString(body, "token"));
                identity = new User.Identity(verified.subject(), "custom-token", providerId(provider), verified.metadata());
                data = verified.metadata();
            }
            case "custom-function" -> {
                identity = functionIdentity(provider, body);
                data = identity.providerData();
            }
            case "oauth2-google", "oauth2-facebook", "oauth2-apple" -> {
                OAuthProviders.Profile profile = oauthProfile(provider, body);
                identity = new User.Identity(profile.subject(), provider.type(), providerId(provider), OAuthProviders.metadata(provider, profile));
                data = identity.providerData();
            }
            default -> throw new InvalidInput("AuthProviderNotFound", "authentication via \"" + providerName + "\" ("
                    + provider.type() + ") is not supported by this Thimble version");
        }
        if (!createUser && linkTo == null && users.findByIdentity(identity.providerType(), identity.id()).isEmpty()) {
            throw new Unauthenticated("UserNotFound", "no user has this " + identity.providerType()
                    + " identity yet, and this request may not create one");
        }
        return finishLogin(identity, data, userType, deviceId, linkTo == null ? null : authenticate(linkTo));
    }

    /** Logs in (finding or creating the user of an identity), or links the identity to {@code linkTo}. */
    private LoginResult finishLogin(User.Identity identity, Document data, String userType, String deviceId, Authenticated linkTo) {
        Instant now = clock.instant();
        if (linkTo != null) {
            return link(linkTo, identity, data, deviceId);
        }
        User user = users.findByIdentity(identity.providerType(), identity.id()).orElse(null);
        boolean created = user == null;
        if (created) {
            user = users.create(userType, identity, data, now);
        } else {
            requireEnabled(user);
            users.touch(user.id(), now);
            if (!data.isEmpty()) {
                // metadata from the external system (JWT fields, the function's name) is refreshed at each login
                users.updateIdentityData(user.id(), identity, data);
                user = users.find(user.id()).orElseThrow();
            }
        }
        LoginResult result = issueSessionFor(user, deviceId);
        if (created) {
            tell(AuthEvents.Kind.CREATE, user, List.of(identity.providerType()));
        }
        tell(AuthEvents.Kind.LOGIN, user, List.of(identity.providerType()));
        return result;
    }

    /**
     * The custom-function provider: the login body without {@code options} goes to the auth function as
     * its one argument; it returns the external id as a string, or {@code {id, name}}.
     */
    private User.Identity functionIdentity(AuthProviderDef provider, Document body) {
        String functionName = provider.config().obj("config").text("authFunctionName", "");
        if (functionName.isEmpty()) {
            throw new Unauthenticated("AuthError", "this provider names no function: set config.authFunctionName in auth_providers/"
                    + provider.name() + ".json");
        }
        Document payload = new Document(body);
        payload.remove("options");
        BsonValue result;
        try {
            result = functions.run(functionName, List.of(payload.toBsonDocument()));
        } catch (AuthFunctions.Failed e) {
            throw new Unauthenticated("AuthError", e.describe());
        }
        String id = null;
        Document data = new Document();
        if (result instanceof BsonString text) {
            id = text.getValue();
        } else if (result instanceof BsonDocument document) {
            BsonValue idValue = document.get("id");
            if (idValue instanceof BsonString text) {
                id = text.getValue();
            } else if (idValue != null && idValue.isObjectId()) {
                id = idValue.asObjectId().getValue().toHexString();
            }
            if (document.get("name") instanceof BsonString name) {
                data.put("name", name.getValue());
            }
        }
        if (id == null || id.isBlank()) {
            throw new Unauthenticated("AuthError", "the authentication function \"" + functionName
                    + "\" must return the user's id as a non-empty string or {id, name}, but returned " + describe(result));
        }
        return new User.Identity(id, "custom-function", providerId(provider), data);
    }

    /**
     * The IdP profile of a POST login without a redirect: Google {@code {authCode}} (a server auth code,
     * exchanged with {@code config.authCodeRedirectUri}, default none; Apple too), Facebook {@code {accessToken}}
     * (read at the user info endpoint), Google and Apple {@code {id_token}} (verified against the provider's JWKS, {@link IdTokens}).
     */
    private OAuthProviders.Profile oauthProfile(AuthProviderDef provider, Document body) {
        if (body.get("authCode") instanceof String code && !code.isEmpty() && !provider.type().equals("oauth2-facebook")) {
            String redirectUri = provider.config().obj("config").text("authCodeRedirectUri", "");
            return oauth.exchangeCode(provider, code, redirectUri.isEmpty() ? null : redirectUri);
        }
        if (body.get("id_token") instanceof String idToken && !idToken.isEmpty() && !provider.type().equals("oauth2-facebook")) {
            return idTokens.verify(provider, idToken);
        }
        // Facebook only: its user ids are app-scoped, so another app's token cannot pass for one of our users.
        // (Google's subjects are global: its access tokens would need an audience check, so they are refused.)
        if (body.get("accessToken") instanceof String token && !token.isEmpty() && provider.type().equals("oauth2-facebook")) {
            return oauth.userInfo(provider, token);
        }
        throw new InvalidInput("MissingParameter", switch (provider.type()) {
            case "oauth2-google" -> "log in with Google by sending {\"authCode\": \"<server auth code>\"} or {\"id_token\": \"<Google ID token>\"}";
            case "oauth2-facebook" -> "log in with Facebook by sending {\"accessToken\": \"<Facebook access token>\"}";
            default -> "log in with Apple through the redirect flow (GET …/login?redirect=…), {\"authCode\"} or {\"id_token\"}";
        });
    }

    // ---- redirect OAuth (CLIENT-PROTOCOL §7) ---------------------------------------------------

    /**
     * Starts a redirect login: checks {@code redirect} against the provider's {@code redirect_uris},
     * remembers the login, and returns the IdP's authorize URL to send the browser to.
     *
     * @param linkAccessToken the linking user's access token, or null for a login
     * @param callbackUrl     this server's callback route, as the IdP must call it
     */
    public String oauthStart(String providerName, String redirect, String clientState, String device,
                             String linkAccessToken, String callbackUrl) {
        AuthProviderDef provider = enabledProvider(providerName);
        if (!OAuthProviders.isOAuth(provider.type())) {
            throw new InvalidInput("BadRequest", "\"" + providerName + "\" is a " + provider.type()
                    + " provider: only oauth2-* providers have a redirect login; POST to …/login instead");
        }
        OAuthFlow.requireAllowedRedirect(provider, redirect);
        Authenticated linkTo = linkAccessToken == null ? null : authenticate(linkAccessToken);
        String clientId = OAuthProviders.clientId(provider);
        String callback = provider.config().obj("config").text("callbackUrl", callbackUrl);
        String state = oauthFlow.open(new OAuthFlow.Pending(provider.name(), redirect, clientState == null ? "" : clientState,
                OAuthFlow.deviceId(device), linkTo, callback, clock.instant().plus(OAuthFlow.LIFETIME)));
        LOG.debug("OAuth login via {} (client {}) started", provider.name(), clientId);
        return OAuthProviders.authorizeUrl(provider, callback, state);
    }

    /**
     * Completes a redirect login from the IdP's callback parameters ({@code state}, {@code code} or
     * {@code error}) and returns where to send the browser: the app's redirect URL with the result
     * fragment (a session, or {@code _stitch_error}/{@code _baas_error}). An unknown state is an error.
     */
    public String oauthCallback(java.util.Map<String, String> params) {
        OAuthFlow.Pending login = oauthFlow.take(params.get("state"));
        java.util.Map<String, String> result = new java.util.LinkedHashMap<>();
        result.put("client_app_id", app.get().clientAppId());
        try {
            if (params.get("error") != null) {
                String description = params.getOrDefault("error_description", "");
                throw OAuthProviders.refused("the identity provider refused the sign-in: " + params.get("error")
                        + (description.isEmpty() ? "" : " (" + description + ")"));
            }
            String code = params.get("code");
            if (code == null || code.isEmpty()) {
                throw OAuthProviders.refused("the identity provider sent no authorization code");
            }
            AuthProviderDef provider = enabledProvider(login.providerName());
            OAuthProviders.Profile profile = oauth.exchangeCode(provider, code, login.callbackUrl());
            Document data = OAuthProviders.metadata(provider, profile);
            User.Identity identity = new User.Identity(profile.subject(), provider.type(), providerId(provider), data);
            Authenticated linkTo = login.linkTo() == null ? null : stillValid(login.linkTo());
            LoginResult session = finishLogin(identity, data, "normal", login.deviceId(), linkTo);
            result.put("ua", String.join("$", session.accessToken(), session.refreshToken() == null ? "" : session.refreshToken(),
                    session.userId(), session.deviceId()));
            if (linkTo != null) {
                result.put("link", "ok");
            }
        } catch (Failure e) {
            result.put("error", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("OAuth callback via {} failed", login.providerName(), e);
            result.put("error", "the sign-in failed on the server: " + e.getClass().getSimpleName());
        }
        result.put("state", login.clientState());
        return OAuthFlow.back(login.redirect(), result);
    }

    /** A linking user from the start of a redirect login, checked again at its end. */
    private Authenticated stillValid(Authenticated linking) {
        if (!sessions.isLive(linking.claims().sessionId(), clock.instant())) {
            throw Unauthenticated.invalidSession("invalid session: the linking user logged out during the sign-in");
        }
        User user = users.find(linking.user().id()).orElseThrow(() ->
                Unauthenticated.invalidSession("invalid session: the linking user no longer exists"));
        requireEnabled(user);
        return new Authenticated(user, linking.claims());
    }

    private LoginResult link(Authenticated current, User.Identity identity, Document data, String deviceId) {
        Optional<User> owner = users.findByIdentity(identity.providerType(), identity.id());
        if (owner.isPresent() && !owner.get().id().equals(current.user().id())) {
            throw new Conflict("AccountNameInUse", "this " + identity.providerType()
                    + " identity already belongs to another user; it cannot be linked to this one");
        }
        if (owner.isEmpty()) {
            users.link(current.user().id(), identity, data);
        }
        User linked = users.find(current.user().id()).orElseThrow();
        String access = tokens.issueAccess(linked.id(), current.claims().sessionId(), current.claims().deviceId(), customData.apply(linked.id()));
        return new LoginResult(access, null, linked.id(), current.claims().deviceId() == null ? deviceId : current.claims().deviceId());
    }

    private LoginResult issueSessionFor(User user, String deviceId) {
        requireEnabled(user);
        Instant now = clock.instant();
        String sessionId = sessions.open(user.id(), deviceId, now, now.plus(tokens.refreshLifetime()));
        return new LoginResult(tokens.issueAccess(user.id(), sessionId, deviceId, customData.apply(user.id())),
                tokens.issueRefresh(user.id(), sessionId, deviceId), user.id(), deviceId);
    }

    // ---- sessions ------------------------------------------------------------------------------

    /** The user of a valid access token; InvalidSession (401) otherwise, so the SDKs refresh. */
    public Authenticated authenticate(String accessToken) {
        return authenticate(accessToken, false);
    }

    /**
     * {@link #authenticate}, also accepting the running start-time warm-up's own token ({@link #beginWarmUp}) as the
     * warm-up's caller. Only the function-call route asks this (decision record 0075); every other route refuses that
     * token as it refuses any token of a user that does not exist.
     */
    public Authenticated authenticateCallOrWarmUp(String accessToken) {
        return authenticate(accessToken, true);
    }

    private Authenticated authenticate(String accessToken, boolean warmUpAccepted) {
        Tokens.Claims claims = tokens.verify(requireToken(accessToken), Tokens.ACCESS);
        Authenticated warmUp = warmUpAccepted ? warmUpCaller.of(claims) : null;
        if (warmUp != null) {
            return warmUp; // no stored user or session: nothing to look up
        }
        User user = users.find(claims.userId()).orElseThrow(() ->
                Unauthenticated.invalidSession("invalid session: the user of this token no longer exists"));
        requireEnabled(user);
        if (!sessions.isLive(claims.sessionId(), clock.instant())) {
            throw Unauthenticated.invalidSession("invalid session: this session has ended (logged out, password reset, or the user"
                    + " was disabled or deleted); log in again");
        }
        return new Authenticated(user, claims);
    }

    /**
     * An access token for the start-time warm-up's own loopback calls (decision record 0075), accepted by
     * {@link #authenticate} as the warm-up's caller ({@link Authenticated#warmUp}) until {@link #endWarmUp}. It names no
     * stored user or session and nothing is stored for it; it must never leave the process.
     */
    public String beginWarmUp() {
        return warmUpCaller.begin();
    }

    /** The warm-up ended: its token is refused from now on. */
    public void endWarmUp() {
        warmUpCaller.end();
    }

    /** A new access token for the session of a refresh token (re-reading custom user data). */
    public String refresh(String refreshToken) {
        return renew(refreshToken).accessToken();
    }

    /** A new access token for the session, and whose it is (for the request's log record). */
    public record Renewed(String accessToken, String userId) {
    }

    /** {@link #refresh}, saying whose session it was. */
    public Renewed renew(String refreshToken) {
        Tokens.Claims claims = liveRefresh(refreshToken);
        User user = users.find(claims.userId()).orElseThrow(() ->
                Unauthenticated.invalidSession("invalid session: the user of this token no longer exists"));
        requireEnabled(user);
        return new Renewed(tokens.issueAccess(user.id(), claims.sessionId(), claims.deviceId(), customData.apply(user.id())), user.id());
    }

    /** Ends the session of {@code refreshToken}; returns its user's id (for the request's log record). */
    public String logout(String refreshToken) {
        Tokens.Claims claims = liveRefresh(refreshToken);
        sessions.revoke(claims.sessionId());
        return claims.userId();
    }

    /** The user of a live refresh token (the api_keys routes authenticate with it). */
    public User userOfRefresh(String refreshToken) {
        Tokens.Claims claims = liveRefresh(refreshToken);
        User user = users.find(claims.userId()).orElseThrow(() ->
                Unauthenticated.invalidSession("invalid session: the user of this token no longer exists"));
        requireEnabled(user);
        return user;
    }

    private Tokens.Claims liveRefresh(String refreshToken) {
        Tokens.Claims claims = tokens.verify(requireToken(refreshToken), Tokens.REFRESH);
        if (sessions.live(claims.sessionId(), clock.instant()).isEmpty()) {
            throw Unauthenticated.invalidSession("invalid session: failed to find refresh token; log in again");
        }
        return claims;
    }

    /** Deletes a user with its sessions, keys and email/password account (not its custom data). */
    public void deleteUser(String userId) {
        User user = users.find(userId).orElseThrow(() -> new NotFound("UserNotFound", "user " + userId + " not found"));
        sessions.revokeAllOf(userId);
        apiKeys.deleteAllOf(userId);
        for (User.Identity identity : user.identities()) {
            if (identity.providerType().equals("local-userpass")) {
                userpass.delete(identity.id());
            }
        }
        users.delete(userId);
        tell(AuthEvents.Kind.DELETE, user, user.identities().stream().map(User.Identity::providerType).distinct().toList());
    }

    /** Disables or enables a user; disabling logs it out everywhere. */
    public void setDisabled(String userId, boolean disabled) {
        users.find(userId).orElseThrow(() -> new NotFound("UserNotFound", "user " + userId + " not found"));
        users.setDisabled(userId, disabled);
        if (disabled) {
            sessions.revokeAllOf(userId);
        }
    }

    /** Ends every session of a user (the app's owner logs it out everywhere); the user stays enabled. */
    public void endSessions(String userId) {
        users.find(userId).orElseThrow(() -> new NotFound("UserNotFound", "user " + userId + " not found"));
        sessions.revokeAllOf(userId);
    }

    // ---- API keys ------------------------------------------------------------------------------

    public ApiKeyStore.CreatedKey createUserApiKey(String refreshToken, String name) {
        User user = userOfRefresh(refreshToken);
        if (user.isServer()) {
            throw new Forbidden("InvalidParameter", "server API key users cannot create API keys");
        }
        requireKeyName(name);
        try {
            return apiKeys.create(name, user.id(), clock.instant());
        } catch (IllegalStateException e) {
            throw new Conflict("APIKeyAlreadyExists", e.getMessage());
        }
    }

    public List<ApiKeyStore.ApiKey> listUserApiKeys(String refreshToken) {
        return apiKeys.listOf(userOfRefresh(refreshToken).id());
    }

    public ApiKeyStore.ApiKey userApiKey(String refreshToken, String keyId) {
        return apiKeys.find(keyId, userOfRefresh(refreshToken).id()).orElseThrow(() -> keyNotFound(keyId));
    }

    public void setUserApiKeyDisabled(String refreshToken, String keyId, boolean disabled) {
        if (!apiKeys.setDisabled(keyId, userOfRefresh(refreshToken).id(), disabled)) {
            throw keyNotFound(keyId);
        }
    }

    public void deleteUserApiKey(String refreshToken, String keyId) {
        if (!apiKeys.delete(keyId, userOfRefresh(refreshToken).id())) {
            throw keyNotFound(keyId);
        }
    }

    /** Server API keys: created by the app's owner (CLI, workbench), logging in as "server" users. */
    public ApiKeyStore.CreatedKey createServerApiKey(String name) {
        requireKeyName(name);
        try {
            return apiKeys.create(name, null, clock.instant());
        } catch (IllegalStateException e) {
            throw new Conflict("APIKeyAlreadyExists", e.getMessage());
        }
    }

    public List<ApiKeyStore.ApiKey> listServerApiKeys() {
        return apiKeys.listOf(null);
    }

    public boolean deleteServerApiKey(String idOrName) {
        return apiKeys.deleteServerKey(idOrName);
    }

    private static Failure keyNotFound(String keyId) {
        return new NotFound("APIKeyNotFound", "API key " + keyId + " not found");
    }

    private static void requireKeyName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInput("InvalidParameter", "an API key needs a name of 1 to 100 characters");
        }
    }

    // ---- email/password accounts ---------------------------------------------------------------

    /** Registers an account; confirmed at once with autoConfirm, otherwise a confirmation link is sent. */
    public void register(String providerName, Document body) {
        AuthProviderDef provider = userpassProvider(providerName);
        String email = requiredString(body, "email");
        String password = requiredString(body, "password");
        if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
            throw new InvalidInput("BadRequest", "this is not an email address (one @, no spaces or control"
                    + " characters, at most " + MAX_EMAIL_LENGTH + " characters)");
        }
        if (password.length() < 6 || password.length() > 128) {
            throw new InvalidInput("BadRequest", "password must be between 6 and 128 characters");
        }
        if (userpass.findByEmail(email).isPresent()) {
            throw new Conflict("AccountNameInUse", "name already in use");
        }
        Json config = provider.config().obj("config");
        boolean autoConfirm = config.bool("autoConfirm", false);
        UserpassStore.Account account = userpass.register(email, password, autoConfirm);
        if (autoConfirm) {
            return;
        }
        if (config.bool("runConfirmationFunction", false)) {
            try {
                runConfirmationFunction(provider, account);
            } catch (RuntimeException e) {
                userpass.delete(account.id()); // a refused registration leaves nothing behind
                throw e;
            }
            return;
        }
        sendLink(account, "confirm", config.text("emailConfirmationUrl", ""), config.text("confirmEmailSubject", "Confirm your email"));
    }

    public void confirm(String providerName, Document body) {
        userpassProvider(providerName);
        UserpassStore.Account account = userpass.redeemToken(optionalString(body, "token"), optionalString(body, "tokenId"), "confirm", clock.instant())
                .orElseThrow(() -> new InvalidInput("UserpassTokenInvalid", "invalid token data: the confirmation link is wrong, used or expired; ask for a new one"));
        userpass.confirm(account.id());
    }

    public void resendConfirmation(String providerName, Document body) {
        AuthProviderDef provider = userpassProvider(providerName);
        UserpassStore.Account account = existingAccount(requiredString(body, "email"));
        if (account.confirmed()) {
            throw new InvalidInput("UserAlreadyConfirmed", "already confirmed");
        }
        Json config = provider.config().obj("config");
        sendLink(account, "confirm", config.text("emailConfirmationUrl", ""), config.text("confirmEmailSubject", "Confirm your email"));
    }

    public void sendPasswordReset(String providerName, Document body) {
        AuthProviderDef provider = userpassProvider(providerName);
        UserpassStore.Account account = existingAccount(requiredString(body, "email"));
        Json config = provider.config().obj("config");
        sendLink(account, "reset", config.text("resetPasswordUrl", ""), config.text("resetPasswordSubject", "Reset your password"));
    }

    public void resetPassword(String providerName, Document body) {
        userpassProvider(providerName);
        String password = requiredString(body, "password");
        if (password.length() < 6 || password.length() > 128) {
            throw new InvalidInput("BadRequest", "password must be between 6 and 128 characters");
        }
        UserpassStore.Account account = userpass.redeemToken(optionalString(body, "token"), optionalString(body, "tokenId"), "reset", clock.instant())
                .orElseThrow(() -> new InvalidInput("UserpassTokenInvalid", "invalid token data: the reset link is wrong, used or expired; ask for a new one"));
        changePassword(account, password);
    }

    /**
     * Sets an account's password and ends every session of its user: whoever had the old password
     * (or a token taken with it) is logged out everywhere.
     */
    private void changePassword(UserpassStore.Account account, String password) {
        userpass.setPassword(account.id(), password);
        users.findByIdentity("local-userpass", account.id()).ifPresent(user -> sessions.revokeAllOf(user.id()));
    }

    /**
     * Runs the confirmation function again for an unconfirmed account (route 16, Realm's
     * retryCustomConfirmation), with a new token: {@code success} confirms it, {@code pending} leaves it
     * waiting for that token, {@code fail} is an error.
     */
    public void retryConfirmationFunction(String providerName, Document body) {
        AuthProviderDef provider = userpassProvider(providerName);
        Json config = provider.config().obj("config");
        if (!config.bool("runConfirmationFunction", false)) {
            throw new InvalidInput("BadRequest", "this app does not confirm users with a function: set runConfirmationFunction and "
                    + "confirmationFunctionName in auth_providers/" + provider.name() + ".json, or confirm with the emailed link");
        }
        UserpassStore.Account account = existingAccount(requiredString(body, "email"));
        if (account.confirmed()) {
            throw new InvalidInput("UserAlreadyConfirmed", "already confirmed");
        }
        runConfirmationFunction(provider, account);
    }

    /**
     * Resets a password through the reset function (route 19): it gets
     * {@code ({token, tokenId, username, password}, ...arguments)}; {@code success} sets the password now,
     * {@code pending} keeps the token for a later reset with it, {@code fail} is an error.
     */
    public void callResetFunction(String providerName, Document body) {
        AuthProviderDef provider = userpassProvider(providerName);
        Json config = provider.config().obj("config");
        String functionName = config.text("resetFunctionName", "");
        if (!config.bool("runResetFunction", false) || functionName.isEmpty()) {
            throw new InvalidInput("BadRequest", "this app does not reset passwords with a function: set runResetFunction and "
                    + "resetFunctionName in auth_providers/" + provider.name() + ".json, or use the emailed reset link");
        }
        String password = requiredString(body, "password");
        if (password.length() < 6 || password.length() > 128) {
            throw new InvalidInput("BadRequest", "password must be between 6 and 128 characters");
        }
        List<BsonValue> extra = new ArrayList<>();
        Object given = body.get("arguments");
        if (given instanceof List<?> list) {
            extra.addAll(new Document("a", list).toBsonDocument().getArray("a").getValues());
        } else if (given != null) {
            throw new InvalidInput("InvalidParameter", "\"arguments\" must be an array");
        }
        UserpassStore.Account account = existingAccount(requiredString(body, "email"));
        UserpassStore.IssuedToken token = userpass.issueToken(account.id(), "reset", clock.instant().plus(USERPASS_TOKEN_LIFETIME));
        List<BsonValue> arguments = new ArrayList<>();
        arguments.add(new BsonDocument("token", new BsonString(token.token()))
                .append("tokenId", new BsonString(token.tokenId()))
                .append("username", new BsonString(account.email()))
                .append("password", new BsonString(password)));
        arguments.addAll(extra);
        switch (userpassFunctionStatus("reset", functionName, arguments, account)) {
            case "success" -> {
                userpass.clearToken(account.id());
                changePassword(account, password);
            }
            case "pending" -> {
                // the function has the token: the user resets with it later (route 17)
            }
            default -> {
                userpass.clearToken(account.id());
                throw new InvalidInput("BadRequest", "failed to reset the password of " + account.email()
                        + ": the reset function \"" + functionName + "\" returned status \"fail\"");
            }
        }
    }

    /** Issues a confirm token and runs the confirmation function with it; throws unless success or pending. */
    private void runConfirmationFunction(AuthProviderDef provider, UserpassStore.Account account) {
        String functionName = provider.config().obj("config").text("confirmationFunctionName", "");
        if (functionName.isEmpty()) {
            throw new InvalidInput("BadRequest", "runConfirmationFunction is set but no confirmationFunctionName: set it in auth_providers/"
                    + provider.name() + ".json");
        }
        UserpassStore.IssuedToken token = userpass.issueToken(account.id(), "confirm", clock.instant().plus(USERPASS_TOKEN_LIFETIME));
        BsonDocument argument = new BsonDocument("token", new BsonString(token.token()))
                .append("tokenId", new BsonString(token.tokenId()))
                .append("username", new BsonString(account.email()));
        switch (userpassFunctionStatus("confirmation", functionName, List.of(argument), account)) {
            case "success" -> {
                userpass.clearToken(account.id());
                userpass.confirm(account.id());
            }
            case "pending" -> {
                // the function has the token: the user confirms with it later (route 14), or it is retried (route 16)
            }
            default -> {
                userpass.clearToken(account.id());
                throw new InvalidInput("BadRequest", "failed to confirm user " + account.email()
                        + ": the confirmation function \"" + functionName + "\" returned status \"fail\"");
            }
        }
    }

    /** "success", "pending" or "fail" from a confirmation or reset function; anything else is an error naming it. */
    private String userpassFunctionStatus(String which, String functionName, List<BsonValue> arguments, UserpassStore.Account account) {
        BsonValue result;
        try {
            result = functions.run(functionName, arguments);
        } catch (AuthFunctions.Failed e) {
            userpass.clearToken(account.id());
            throw new InvalidInput("FunctionExecutionError", e.describe());
        }
        if (result instanceof BsonDocument document && document.get("status") instanceof BsonString status
                && List.of("success", "pending", "fail").contains(status.getValue())) {
            return status.getValue();
        }
        userpass.clearToken(account.id());
        throw new InvalidInput("FunctionExecutionError", "the " + which + " function \"" + functionName
                + "\" must return {status: \"success\" | \"pending\" | \"fail\"}, but returned " + describe(result));
    }

    private void sendLink(UserpassStore.Account account, String purpose, String url, String subject) {
        UserpassStore.IssuedToken token = userpass.issueToken(account.id(), purpose, clock.instant().plus(USERPASS_TOKEN_LIFETIME));
        String link = url + (url.contains("?") ? "&" : "?") + "token=" + token.token() + "&tokenId=" + token.tokenId();
        // No mail server here: the link goes to the outbox listener (the workbench shows it). The log
        // names the mail but not the token: whoever reads logs must not be able to reset passwords.
        LOG.info("Mail to {}: \"{}\" ({} link issued)", account.email(), subject, purpose);
        outbox.accept(new OutgoingMail(account.email(), subject, link, purpose, token.token(), token.tokenId()));
    }

    /** A message the app would have emailed (confirmation and reset links). */
    public record OutgoingMail(String to, String subject, String link, String purpose, String token, String tokenId) {
    }

    /** Where confirmation and reset links go (the workbench shows them; tests read them). */
    /** Who hears of users created, logged in and deleted (the authentication triggers); replaces the previous listener. */
    public void onAuthEvents(AuthEvents listener) {
        this.events = listener == null ? AuthEvents.NONE : listener;
    }

    private void tell(AuthEvents.Kind kind, User user, List<String> providers) {
        try {
            events.onAuthEvent(kind, user, providers, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("An auth event listener failed on {} of user {}", kind, user.id(), e);
        }
    }

    public void onMail(Consumer<OutgoingMail> listener) {
        this.outbox = listener;
    }

    private UserpassStore.Account existingAccount(String email) {
        return userpass.findByEmail(email).orElseThrow(() -> new NotFound("UserNotFound", "user not found"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private AuthProviderDef enabledProvider(String name) {
        AuthProviderDef provider = app.get().authProvider(name)
                .or(() -> app.get().authProviders().stream().filter(p -> p.type().equals(name)).findFirst())
                .orElseThrow(() -> new NotFound("AuthProviderNotFound", "authentication via \"" + name
                        + "\" is not configured for this app; add it under auth_providers/"));
        if (provider.disabled()) {
            throw new Unauthenticated("AuthProviderNotFound", "authentication via \"" + name
                    + "\" is disabled for this app; enable it in auth_providers/" + provider.name() + ".json");
        }
        return provider;
    }

    private AuthProviderDef userpassProvider(String name) {
        AuthProviderDef provider = enabledProvider(name);
        if (!provider.type().equals("local-userpass")) {
            throw new InvalidInput("AuthProviderNotFound", "\"" + name + "\" is not an email/password provider");
        }
        return provider;
    }

    private User existingEnabledUser(String userId) {
        User user = users.find(userId).orElseThrow(() -> new Unauthenticated("InvalidPassword", "the owner of this API key no longer exists"));
        requireEnabled(user);
        return user;
    }

    private static void requireEnabled(User user) {
        if (user.disabled()) {
            throw new Unauthenticated("UserDisabled", "this user is disabled; ask the app's administrator");
        }
    }

    private static String providerId(AuthProviderDef provider) {
        return provider.config().text("id", provider.name());
    }

    private static String deviceId(Document body) {
        Object options = body.get("options");
        if (options instanceof Document o && o.get("device") instanceof Document device
                && device.get("deviceId") instanceof String id && ObjectId.isValid(id)) {
            return id;
        }
        return new ObjectId().toHexString();
    }

    private static String requireToken(String token) {
        if (token == null || token.isBlank()) {
            throw new Unauthenticated("InvalidSession", "must authenticate first: send Authorization: Bearer <token>");
        }
        return token;
    }

    /** A function's result for a message: its relaxed Extended JSON, shortened. */
    private static String describe(BsonValue value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.getBsonType() == org.bson.BsonType.UNDEFINED) {
            return "nothing (undefined)";
        }
        String json = new BsonDocument("v", value).toJson(org.bson.json.JsonWriterSettings.builder()
                .outputMode(org.bson.json.JsonMode.RELAXED).build());
        json = json.substring(json.indexOf(':') + 1, json.length() - 1).strip();
        return json.length() > 200 ? json.substring(0, 200) + "…" : json;
    }

    /** A field that is a string when given; null when missing; any other type is a 400. */
    private static String optionalString(Document body, String field) {
        Object value = body.get(field);
        if (value != null && !(value instanceof String)) {
            throw new InvalidInput("InvalidParameter", "\"" + field + "\" must be a string");
        }
        return (String) value;
    }

    private static String requiredString(Document body, String field) {
        Object value = body.get(field);
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new InvalidInput("MissingParameter", "\"" + field + "\" is required and must be a string");
        }
        return text;
    }
}
