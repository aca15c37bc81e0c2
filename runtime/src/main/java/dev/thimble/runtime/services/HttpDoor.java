package dev.thimble.runtime.services;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The one way out to the network for the HTTP service and {@code context.http}: tests point it at a
 * loopback server, an embedding host can put a proxy or an allow-list behind it. Thread-safe.
 */
public interface HttpDoor {

    /** Sends {@code request}; the caller reads (and closes) the body stream. */
    HttpResponse<InputStream> send(HttpRequest request, boolean followRedirects) throws IOException, InterruptedException;

    /** The JDK's {@link HttpClient}: one client that follows redirects and one that does not. */
    static HttpDoor jdk(Duration connectTimeout) {
        HttpClient following = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpClient direct = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return (request, followRedirects) ->
                (followRedirects ? following : direct).send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
