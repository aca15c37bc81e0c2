package dev.thimble.runtime.functions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a webhook or endpoint function did with its {@code response} argument.
 *
 * @param statusCode the code given to {@code setStatusCode}, or null when it was not called
 * @param headers    header name to values from {@code setHeader}/{@code addHeader}, in call order
 * @param body       the bytes given to {@code setBody}, or null when it was not called
 */
public record HandlerResponse(Integer statusCode, Map<String, List<String>> headers, byte[] body) {
    public static final HandlerResponse UNTOUCHED = new HandlerResponse(null, Map.of(), null);

    public HandlerResponse {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    public boolean bodySet() {
        return body != null;
    }
}
