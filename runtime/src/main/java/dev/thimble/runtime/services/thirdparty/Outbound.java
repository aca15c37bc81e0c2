package dev.thimble.runtime.services.thirdparty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.functions.ServiceCallException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends one request to an outside service and turns a failure to reach it into an error for the function. */
final class Outbound {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What came back: status, headers and the whole body. */
    record Reply(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;

    Outbound(HttpClient http) {
        this.http = http;
    }

    /** A request builder with the timeout every outside call gets. */
    static HttpRequest.Builder request(String url) {
        try {
            return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new ServiceCallException("the request URL " + url + " is not valid: " + e.getMessage());
        }
    }

    Reply send(HttpRequest request, String where) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new ServiceCallException(where + ": could not reach " + request.uri().getScheme() + "://"
                    + request.uri().getRawAuthority() + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceCallException(where + ": interrupted while waiting for " + request.uri().getRawAuthority(), e);
        }
    }

    /** A JSON object body, or null when the body is anything else. */
    static JsonNode json(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
