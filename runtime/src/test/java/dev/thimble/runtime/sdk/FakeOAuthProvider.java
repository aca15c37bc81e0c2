package dev.thimble.runtime.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google/Facebook stand-in on loopback speaking their real token and user-info protocols, for the
 * SDKs' native logins: Google's server auth code exchange and Facebook's access token.
 */
final class FakeOAuthProvider implements AutoCloseable {
    static final String CLIENT_ID = "sdk-client";
    static final String CLIENT_SECRET = "sdk-s3cret";
    static final String GOOGLE_AUTH_CODE = "google-server-auth-code";
    static final String FACEBOOK_ACCESS_TOKEN = "facebook-user-token";
    private static final String GOOGLE_ACCESS_TOKEN = "google-access-for-sdk";

    private final HttpServer server;

    FakeOAuthProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/userinfo", this::userInfo);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}");
        } else if (!GOOGLE_AUTH_CODE.equals(form.get("code"))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}");
        } else {
            send(exchange, 200, "{\"access_token\":\"" + GOOGLE_ACCESS_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3599}");
        }
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header == null ? "" : header.substring("Bearer ".length());
        switch (token) {
            case GOOGLE_ACCESS_TOKEN -> send(exchange, 200, "{\"sub\":\"google-sdk-1\",\"name\":\"Ada Lovelace\","
                    + "\"email\":\"ada@example.com\",\"email_verified\":true}");
            case FACEBOOK_ACCESS_TOKEN -> send(exchange, 200, "{\"id\":\"fb-sdk-1\",\"name\":\"Grace Hopper\"}");
            default -> send(exchange, 401, "{\"error\":\"invalid_token\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
