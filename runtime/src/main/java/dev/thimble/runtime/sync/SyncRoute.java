package dev.thimble.runtime.sync;

import dev.thimble.runtime.auth.AuthService;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;

import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/client/v2.0/app/<client app id>/realm-sync?baas_at=<access token>}: checks the app id
 * and the access token (as the other routes do, but from the query, where the sync client puts it),
 * then upgrades to a WebSocket speaking {@code com.mongodb.realm-query-sync#14}. Other requests go to
 * {@code next}.
 */
public final class SyncRoute implements HttpHandler {
    public static final String SUBPROTOCOL = "com.mongodb.realm-query-sync#14";
    private static final String SUFFIX = "/realm-sync";

    private final HttpHandler next;
    private final Supplier<SyncService> sync;
    private final Supplier<AuthService> auth;
    private final WebSocketProtocolHandshakeHandler upgrade;

    public SyncRoute(HttpHandler next, Supplier<SyncService> sync, Supplier<AuthService> auth) {
        this.next = next;
        this.sync = sync;
        this.auth = auth;
        List<Handshake> handshakes = List.of(new Hybi13Handshake(Set.of(SUBPROTOCOL), false));
        this.upgrade = new WebSocketProtocolHandshakeHandler(handshakes, (io.undertow.websockets.WebSocketConnectionCallback) (exchange, channel) -> {
            AuthService.Authenticated user = (AuthService.Authenticated) exchange.getAttachment(USER_KEY_HOLDER.key);
            SyncService service = sync.get();
            new SyncConnection(service, user, channel).start();
        });
    }

    private static final class KeyHolder {
        final io.undertow.util.AttachmentKey<Object> key = io.undertow.util.AttachmentKey.create(Object.class);
    }

    private static final KeyHolder USER_KEY_HOLDER = new KeyHolder();

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (!path.endsWith(SUFFIX) || !path.startsWith("/api/client/v2.0/app/")) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        SyncService service = sync.get();
        String appId = path.substring("/api/client/v2.0/app/".length(), path.length() - SUFFIX.length());
        if (service == null || !service.clientAppId().equals(appId)) {
            refuse(exchange, 404, "AppNotFound", service == null
                    ? "Device Sync is not enabled for this app: add sync/config.json with \"type\": \"flexible\"."
                    : "There is no app with client app id \"" + appId + "\" on this server.");
            return;
        }
        Deque<String> token = exchange.getQueryParameters().get("baas_at");
        AuthService.Authenticated user;
        try {
            user = auth.get().authenticate(token == null ? null : token.peekFirst());
        } catch (RuntimeException e) {
            refuse(exchange, 401, "InvalidSession", "invalid session: " + e.getMessage());
            return;
        }
        exchange.putAttachment(USER_KEY_HOLDER.key, user);
        upgrade.handleRequest(exchange);
    }

    private static void refuse(HttpServerExchange exchange, int status, String code, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        String body = "{\"error\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(message) + ",\"error_code\":\"" + code + "\"}";
        exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
    }
}
