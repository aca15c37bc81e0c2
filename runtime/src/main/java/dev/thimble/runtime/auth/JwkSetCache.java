package dev.thimble.runtime.auth;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.errors.Unauthenticated;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Web Keys of custom-token providers that use a JWK URI, fetched over HTTP(S) and kept for a
 * few minutes. A URI may serve a key set ({@code {"keys": [...]}}) or a single key.
 */
final class JwkSetCache {
    static final Duration KEEP = Duration.ofMinutes(5);
    /** A token naming an unknown key refetches, but not more often than this (keys rotate rarely). */
    static final Duration REFETCH_AFTER = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final InstantSource clock;
    private final Map<String, Fetched> fetched = new ConcurrentHashMap<>();

    private record Fetched(JWKSet keys, Instant at) {
    }

    JwkSetCache(InstantSource clock) {
        this.clock = clock;
    }

    /** The keys at {@code uri}: cached ones if younger than {@link #KEEP}, else fetched now. */
    JWKSet keys(String uri) {
        Fetched cached = fetched.get(uri);
        if (cached != null && clock.instant().isBefore(cached.at().plus(KEEP))) {
            return cached.keys();
        }
        return fetch(uri);
    }

    /** Fetches again unless the cached keys are younger than {@link #REFETCH_AFTER}; for a key id not in the cache. */
    JWKSet refreshed(String uri) {
        Fetched cached = fetched.get(uri);
        if (cached != null && clock.instant().isBefore(cached.at().plus(REFETCH_AFTER))) {
            return cached.keys();
        }
        return fetch(uri);
    }

    private JWKSet fetch(String uri) {
        URI target;
        try {
            target = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw failure(uri, "it is not a URI");
        }
        if (!"https".equalsIgnoreCase(target.getScheme()) && !"http".equalsIgnoreCase(target.getScheme())) {
            throw failure(uri, "only http and https URIs can be fetched");
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(target).timeout(TIMEOUT).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(uri, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(uri, "interrupted");
        }
        if (response.statusCode() != 200) {
            throw failure(uri, "HTTP " + response.statusCode());
        }
        JWKSet keys;
        try {
            String body = response.body().strip();
            keys = body.contains("\"keys\"") ? JWKSet.parse(body) : new JWKSet(JWK.parse(body));
        } catch (ParseException e) {
            throw failure(uri, "the response is not a JSON Web Key or key set (" + e.getMessage() + ")");
        }
        fetched.put(uri, new Fetched(keys, clock.instant()));
        return keys;
    }

    private static Failure failure(String uri, String why) {
        return new Unauthenticated("AuthError", "cannot get the signing keys from the JWK URI " + uri + ": " + why);
    }
}
