package dev.thimble.runtime.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The client API over plain HTTP, as the SDKs call it, for the hardening tests. */
final class ClientHttp {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient DEFAULT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpClient http;
    private final String base;
    private final String appId;

    ClientHttp(AppHost host) {
        this(host, DEFAULT);
    }

    private ClientHttp(AppHost host, HttpClient http) {
        this.http = http;
        this.base = host.server().baseUrl() + "/api/client/v2.0";
        this.appId = host.app().clientAppId();
    }

    /** A client connecting from another loopback address (127.0.0.2, …): another client address for the server. */
    static ClientHttp from(AppHost host, String loopbackAddress) {
        try {
            return new ClientHttp(host, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .localAddress(java.net.InetAddress.getByName(loopbackAddress)).build());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** What the server answered: the status, the headers, and the body as text. */
    record Answer(int status, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + response.body(), e);
            }
        }

        String text(String field) {
            return json().path(field).asText();
        }
    }

    record Session(String accessToken, String refreshToken, String userId) {
    }

    Session login(String provider, String body) {
        Answer answer = post("/app/" + appId + "/auth/providers/" + provider + "/login", body, null);
        if (answer.status() != 200) {
            throw new AssertionError("login via " + provider + " answered " + answer.status() + ": " + answer.response().body());
        }
        return new Session(answer.text("access_token"), answer.text("refresh_token"), answer.text("user_id"));
    }

    Session loginEmail(String email, String password) {
        return login("local-userpass", "{\"username\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    Answer register(String email, String password) {
        return post("/app/" + appId + "/auth/providers/local-userpass/register",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }

    Answer profile(String accessToken) {
        return send(HttpRequest.newBuilder(URI.create(base + "/auth/profile")).GET(), accessToken);
    }

    Answer refresh(String refreshToken) {
        return send(HttpRequest.newBuilder(URI.create(base + "/auth/session")).POST(HttpRequest.BodyPublishers.noBody()), refreshToken);
    }

    Answer logout(String refreshToken) {
        return send(HttpRequest.newBuilder(URI.create(base + "/auth/session")).DELETE(), refreshToken);
    }

    Answer callFunction(String accessToken, String name, String argumentsJson) {
        return post("/app/" + appId + "/functions/call", "{\"name\":\"" + name + "\",\"arguments\":" + argumentsJson + "}", accessToken);
    }

    Answer post(String path, String body, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), bearer);
    }

    Answer send(HttpRequest.Builder request, String bearer) {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
