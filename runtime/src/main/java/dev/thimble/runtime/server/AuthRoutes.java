package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.auth.ApiKeyStore;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.auth.User;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;

import java.util.function.Supplier;

/**
 * The authentication routes of the client API (CLIENT-PROTOCOL §1, routes 2–19): logins, linking,
 * email/password flows (app-scoped), and the user-scoped profile, session and API-key routes that
 * find the app and user from the bearer token alone.
 */
final class AuthRoutes {
    private static final String APP = ClientApiServer.CLIENT_API + "/app/{appId}";
    private static final String PROVIDER = APP + "/auth/providers/{provider}";
    private static final String USER = ClientApiServer.CLIENT_API + "/auth";
    /**
     * Where the IdPs send the browser back in redirect OAuth (register it with the IdP as
     * {@code <public origin>/api/client/v2.0/auth/callback}, or set {@code config.callbackUrl}).
     */
    static final String CALLBACK = ClientApiServer.CLIENT_API + "/auth/callback";

    private final ServedApp app;
    private final Supplier<AuthService> auth;
    private final long maxBodyBytes;

    AuthRoutes(ServedApp app, Supplier<AuthService> auth, long maxBodyBytes) {
        this.app = app;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** One of a provider's account actions (register, confirm, reset…): the provider and the JSON body in, an empty answer out. */
    @FunctionalInterface
    private interface ProviderAction {
        void apply(AuthService auth, String provider, org.bson.Document body);
    }

    private HttpHandler providerAction(ProviderAction action, int status) {
        return RequestLog.auth(ex -> {
            action.apply(auth.get(), param(ex, "provider"), RequestBodies.json(ex, maxBodyBytes));
            JsonResponses.empty(ex, status);
        });
    }

    void addTo(RoutingHandler routes) {
        routes.post(PROVIDER + "/login", RequestLog.auth(this::login))
                .get(PROVIDER + "/login", RequestLog.auth(this::redirectLogin))
                .get(CALLBACK, RequestLog.auth(this::callback))
                .post(CALLBACK, RequestLog.auth(this::callback))
                .post(PROVIDER + "/register", providerAction(AuthService::register, 201))
                .post(PROVIDER + "/confirm", providerAction(AuthService::confirm, 204))
                .post(PROVIDER + "/confirm/send", providerAction(AuthService::resendConfirmation, 204))
                .post(PROVIDER + "/confirm/call", providerAction(AuthService::retryConfirmationFunction, 204))
                .post(PROVIDER + "/reset", providerAction(AuthService::resetPassword, 204))
                .post(PROVIDER + "/reset/send", providerAction(AuthService::sendPasswordReset, 204))
                .post(PROVIDER + "/reset/call", providerAction(AuthService::callResetFunction, 204))
                .get(USER + "/profile", RequestLog.routine(Authentication.required(auth, this::profile)))
                .post(USER + "/session", RequestLog.auth(ex -> {
                    AuthService.Renewed renewed = auth.get().renew(RequestBodies.bearer(ex));
                    RequestLog.of(ex).userId(renewed.userId());
                    ObjectNode body = JsonResponses.MAPPER.createObjectNode();
                    body.put("access_token", renewed.accessToken());
                    JsonResponses.send(ex, 201, body);
                }))
                .delete(USER + "/session", RequestLog.auth(ex -> {
                    RequestLog.of(ex).userId(auth.get().logout(RequestBodies.bearer(ex)));
                    JsonResponses.empty(ex, 204);
                }))
                .delete(USER + "/delete", RequestLog.auth(Authentication.required(auth, ex -> {
                    auth.get().deleteUser(Authentication.caller(ex).user().id());
                    JsonResponses.empty(ex, 204);
                })))
                .post(USER + "/api_keys", ex -> {
                    String name = RequestBodies.json(ex, maxBodyBytes).get("name") instanceof String s ? s : null;
                    ApiKeyStore.CreatedKey created = auth.get().createUserApiKey(RequestBodies.bearer(ex), name);
                    ObjectNode body = keyNode(created.key());
                    body.put("key", created.secret());
                    JsonResponses.send(ex, 201, body);
                })
                .get(USER + "/api_keys", ex -> {
                    ArrayNode keys = JsonResponses.MAPPER.createArrayNode();
                    auth.get().listUserApiKeys(RequestBodies.bearer(ex)).forEach(k -> keys.add(keyNode(k)));
                    JsonResponses.send(ex, 200, keys);
                })
                .get(USER + "/api_keys/{keyId}", ex ->
                        JsonResponses.send(ex, 200, keyNode(auth.get().userApiKey(RequestBodies.bearer(ex), param(ex, "keyId")))))
                .delete(USER + "/api_keys/{keyId}", ex -> {
                    auth.get().deleteUserApiKey(RequestBodies.bearer(ex), param(ex, "keyId"));
                    JsonResponses.empty(ex, 204);
                })
                .put(USER + "/api_keys/{keyId}/enable", ex -> {
                    auth.get().setUserApiKeyDisabled(RequestBodies.bearer(ex), param(ex, "keyId"), false);
                    JsonResponses.empty(ex, 204);
                })
                .put(USER + "/api_keys/{keyId}/disable", ex -> {
                    auth.get().setUserApiKeyDisabled(RequestBodies.bearer(ex), param(ex, "keyId"), true);
                    JsonResponses.empty(ex, 204);
                });
    }

    private void login(HttpServerExchange exchange) {
        boolean link = "true".equals(queryParam(exchange, "link"));
        String linkTo = link ? RequestBodies.bearer(exchange) : null;
        if (link && linkTo == null) {
            throw new dev.thimble.runtime.errors.ApiError(401, "InvalidSession", "linking needs the current user's access token (Authorization: Bearer)");
        }
        AuthService.LoginResult result = auth.get().login(param(exchange, "provider"), RequestBodies.json(exchange, maxBodyBytes),
                exchange.getSourceAddress().getAddress().getHostAddress(), linkTo);
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        body.put("access_token", result.accessToken());
        // a link keeps the session (and its refresh token): the field is left out, never null, because
        // the Stitch SDK stores a null it is given and its next refresh then logs the user out
        if (result.refreshToken() != null) {
            body.put("refresh_token", result.refreshToken());
        }
        body.put("user_id", result.userId());
        body.put("device_id", result.deviceId());
        RequestLog.of(exchange).userId(result.userId());
        JsonResponses.send(exchange, 200, body);
    }

    /**
     * Redirect OAuth (CLIENT-PROTOCOL §7): 302 to the IdP, or with {@code providerRedirectHeader=true}
     * (the SDKs' link fetch) 200 with the IdP URL in {@code X-Stitch-Location} and {@code X-Baas-Location}.
     */
    private void redirectLogin(HttpServerExchange exchange) {
        boolean link = "true".equals(queryParam(exchange, "link"));
        String linkTo = link ? RequestBodies.bearer(exchange) : null;
        if (link && linkTo == null) {
            throw new dev.thimble.runtime.errors.ApiError(401, "InvalidSession", "linking needs the current user's access token (Authorization: Bearer)");
        }
        String callback = exchange.getRequestScheme() + "://" + exchange.getHostAndPort() + CALLBACK;
        String idp = auth.get().oauthStart(param(exchange, "provider"), queryParam(exchange, "redirect"), queryParam(exchange, "state"),
                queryParam(exchange, "device"), linkTo, callback);
        if ("true".equals(queryParam(exchange, "providerRedirectHeader"))) {
            exchange.getResponseHeaders().put(HttpString.tryFromString("X-Stitch-Location"), idp);
            exchange.getResponseHeaders().put(HttpString.tryFromString("X-Baas-Location"), idp);
            JsonResponses.empty(exchange, 200);
            return;
        }
        redirect(exchange, idp);
    }

    /** The IdP's return (a GET with the query, or Apple's form POST): finish the login, 302 back to the app. */
    private void callback(HttpServerExchange exchange) {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        exchange.getQueryParameters().forEach((k, v) -> {
            if (!v.isEmpty()) {
                params.put(k, v.getFirst());
            }
        });
        if (exchange.getRequestMethod().equalToString("POST")) {
            RequestBodies.formFields(exchange, maxBodyBytes).forEach(params::putIfAbsent);
        }
        redirect(exchange, auth.get().oauthCallback(params));
    }

    private static void redirect(HttpServerExchange exchange, String location) {
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        JsonResponses.empty(exchange, 302);
    }

    private void profile(HttpServerExchange exchange) {
        User user = Authentication.caller(exchange).user();
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        body.put("user_id", user.id());
        body.put("domain_id", app.model().clientAppId());
        ArrayNode identities = body.putArray("identities");
        for (User.Identity identity : user.identities()) {
            ObjectNode node = identities.addObject();
            node.put("id", identity.id());
            node.put("provider_type", identity.providerType());
            node.put("provider_id", identity.providerId());
            node.set("provider_data", JsonResponses.plain(identity.providerData()));
        }
        body.set("data", JsonResponses.plain(user.data()));
        body.put("type", user.type());
        JsonResponses.send(exchange, 200, body);
    }

    private static ObjectNode keyNode(ApiKeyStore.ApiKey key) {
        ObjectNode node = JsonResponses.MAPPER.createObjectNode();
        // A plain 24-hex string: the Stitch SDK reads auth responses with plain JSON.parse (CLIENT-PROTOCOL §4).
        node.put("_id", key.id());
        node.put("name", key.name());
        node.put("disabled", key.disabled());
        return node;
    }

    private static String param(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get(name);
    }

    private static String queryParam(HttpServerExchange exchange, String name) {
        var values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
