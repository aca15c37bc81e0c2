package dev.thimble.runtime.functions;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP request behind an execution, shown to the function as {@code context.request}.
 * Any field may be null (an execution from a trigger has no request at all).
 *
 * @param requestHeaders header name to its values
 * @param rawQueryString the query string as received; {@link #toBson()} drops any {@code secret} key
 */
public record RequestInfo(String remoteIPAddress, Map<String, List<String>> requestHeaders, String webhookUrl,
                          String httpMethod, String rawQueryString, String httpReferrer, String httpUserAgent,
                          String service, String action) {

    public static final RequestInfo NONE = new RequestInfo(null, Map.of(), null, null, null, null, null, null, null);

    public RequestInfo {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (requestHeaders != null) {
            requestHeaders.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        }
        requestHeaders = java.util.Collections.unmodifiableMap(copy);
    }

    /** The query string without {@code secret=...} parameters (spec §3: never shown to functions). */
    public static String withoutSecret(String rawQueryString) {
        if (rawQueryString == null || rawQueryString.isEmpty()) {
            return rawQueryString;
        }
        List<String> kept = new ArrayList<>();
        for (String part : rawQueryString.split("&")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String decoded;
            try {
                decoded = URLDecoder.decode(key, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = key;
            }
            if (!decoded.equals("secret")) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    public BsonDocument toBson() {
        BsonDocument doc = new BsonDocument();
        put(doc, "remoteIPAddress", remoteIPAddress);
        BsonDocument headers = new BsonDocument();
        requestHeaders.forEach((name, values) -> {
            BsonArray array = new BsonArray();
            values.forEach(v -> array.add(new BsonString(v)));
            headers.append(name, array);
        });
        doc.append("requestHeaders", headers);
        put(doc, "webhookUrl", webhookUrl);
        put(doc, "httpMethod", httpMethod);
        put(doc, "rawQueryString", withoutSecret(rawQueryString));
        put(doc, "httpReferrer", httpReferrer);
        put(doc, "httpUserAgent", httpUserAgent);
        put(doc, "service", service);
        put(doc, "action", action);
        return doc;
    }

    private static void put(BsonDocument doc, String key, String value) {
        if (value != null) {
            doc.append(key, new BsonString(value));
        }
    }
}
