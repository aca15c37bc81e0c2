package dev.thimble.runtime.services;

import dev.thimble.runtime.functions.ServiceCallException;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The argument document of an HTTP service action (STITCH-SPEC §5A) read into a request: the URL from
 * {@code url} or its parts, headers, cookies, the body ({@code body}, {@code encodeBodyAsJSON},
 * {@code form}) and {@code followRedirects}. Bad arguments are a {@link ServiceCallException} naming the field.
 */
record HttpArguments(String method, URI uri, Map<String, List<String>> headers, byte[] body, boolean followRedirects) {
    static final Set<String> ACTIONS = Set.of("get", "post", "put", "patch", "delete", "head");
    /** Headers java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    static HttpArguments parse(String where, String action, BsonDocument args) {
        if (!ACTIONS.contains(action)) {
            throw new ServiceCallException(where + ": unknown action '" + action + "'; the HTTP service has get, post, put, patch, delete and head");
        }
        if (args.containsKey("digestAuth") && args.get("digestAuth").isBoolean() && args.getBoolean("digestAuth").getValue()) {
            throw new ServiceCallException(where + ": digestAuth is not supported by Thimble; send an Authorization header yourself");
        }
        URI uri = uri(where, args);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        BsonValue given = args.get("headers");
        if (given != null && !given.isNull()) {
            if (!given.isDocument()) {
                throw new ServiceCallException(where + ": headers must be a document {Name: [\"value\", ...]}");
            }
            for (Map.Entry<String, BsonValue> header : given.asDocument().entrySet()) {
                if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    headers.put(header.getKey(), strings(where, "headers." + header.getKey(), header.getValue()));
                }
            }
        }
        String user = text(args, "username");
        if (user != null) {
            String password = text(args, "password");
            String basic = Base64.getEncoder().encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
            headers.put("Authorization", List.of("Basic " + basic));
        }
        BsonValue cookies = args.get("cookies");
        if (cookies != null && cookies.isDocument() && !cookies.asDocument().isEmpty()) {
            List<String> pairs = new ArrayList<>();
            cookies.asDocument().forEach((name, value) -> pairs.add(name + "=" + (value.isString() ? value.asString().getValue() : value.toString())));
            headers.put("Cookie", List.of(String.join("; ", pairs)));
        }
        byte[] body = body(where, args, headers);
        boolean follow = args.get("followRedirects") instanceof org.bson.BsonBoolean b && b.getValue();
        return new HttpArguments(action.toUpperCase(Locale.ROOT), uri, headers, body, follow);
    }

    /** {@code %%args} as service rules see it: {@code url} as {@code {scheme, host, port, path, query, fragment}}. */
    static BsonDocument forRules(String where, BsonDocument args) {
        URI uri = uri(where, args);
        BsonDocument url = new BsonDocument("scheme", new BsonString(uri.getScheme()))
                .append("host", new BsonString(uri.getHost()));
        if (uri.getPort() >= 0) {
            url.append("port", new org.bson.BsonInt32(uri.getPort()));
        }
        url.append("path", new BsonString(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getPath()));
        url.append("query", queryOf(uri.getRawQuery()));
        if (uri.getFragment() != null) {
            url.append("fragment", new BsonString(uri.getFragment()));
        }
        BsonDocument view = args.clone();
        for (String part : List.of("scheme", "host", "path", "query", "fragment")) {
            view.remove(part);
        }
        view.put("url", url);
        return view;
    }

    private static URI uri(String where, BsonDocument args) {
        String url = text(args, "url");
        try {
            URI uri;
            if (url != null) {
                uri = new URI(url);
                BsonValue query = args.get("query");
                if (query != null && query.isDocument() && !query.asDocument().isEmpty()) {
                    int hash = url.indexOf('#');
                    String base = hash < 0 ? url : url.substring(0, hash);
                    String fragment = hash < 0 ? "" : url.substring(hash);
                    uri = new URI(base + (base.contains("?") ? "&" : "?") + encodeQuery(where, query.asDocument()) + fragment);
                }
            } else {
                String host = text(args, "host");
                if (host == null || host.isBlank()) {
                    throw new ServiceCallException(where + ": give a url, or at least a host (with scheme, path, query…)");
                }
                String scheme = text(args, "scheme");
                String path = text(args, "path");
                StringBuilder s = new StringBuilder(scheme == null ? "https" : scheme).append("://").append(host);
                if (path != null && !path.isEmpty()) {
                    s.append(path.startsWith("/") ? "" : "/").append(encodePath(path));
                }
                BsonValue query = args.get("query");
                if (query != null && query.isDocument() && !query.asDocument().isEmpty()) {
                    s.append('?').append(encodeQuery(where, query.asDocument()));
                }
                String fragment = text(args, "fragment");
                if (fragment != null && !fragment.isEmpty()) {
                    s.append('#').append(URLEncoder.encode(fragment, StandardCharsets.UTF_8));
                }
                uri = new URI(s.toString());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ServiceCallException(where + ": the url must start with http:// or https://, not '" + (url != null ? url : scheme) + "'");
            }
            if (uri.getHost() == null) {
                throw new ServiceCallException(where + ": the url '" + uri + "' has no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ServiceCallException(where + ": the url is not valid: " + e.getMessage());
        }
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (!out.isEmpty() || path.startsWith("/")) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String encoded = out.toString();
        return path.startsWith("/") ? encoded.substring(1) : encoded;
    }

    private static String encodeQuery(String where, BsonDocument query) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, BsonValue> entry : query.entrySet()) {
            for (String value : strings(where, "query." + entry.getKey(), entry.getValue())) {
                parts.add(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return String.join("&", parts);
    }

    static BsonDocument queryOf(String rawQuery) {
        BsonDocument query = new BsonDocument();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!query.containsKey(key)) {
                query.put(key, new BsonArray());
            }
            query.getArray(key).add(new BsonString(value));
        }
        return query;
    }

    private static byte[] body(String where, BsonDocument args, Map<String, List<String>> headers) {
        BsonValue form = args.get("form");
        BsonValue body = args.get("body");
        if (form != null && !form.isNull()) {
            if (!form.isDocument()) {
                throw new ServiceCallException(where + ": form must be a document {field: value}");
            }
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, BsonValue> field : form.asDocument().entrySet()) {
                for (String value : strings(where, "form." + field.getKey(), field.getValue())) {
                    parts.add(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            }
            headers.putIfAbsent("Content-Type", List.of("application/x-www-form-urlencoded"));
            return String.join("&", parts).getBytes(StandardCharsets.UTF_8);
        }
        if (body == null || body.isNull()) {
            return null;
        }
        boolean asJson = args.get("encodeBodyAsJSON") instanceof org.bson.BsonBoolean b && b.getValue();
        if (asJson) {
            String json = new BsonDocument("v", body).toJson(RELAXED);
            headers.putIfAbsent("Content-Type", List.of("application/json"));
            return json.substring(json.indexOf(':') + 1, json.lastIndexOf('}')).strip().getBytes(StandardCharsets.UTF_8);
        }
        if (body.isString()) {
            return body.asString().getValue().getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof BsonBinary binary) {
            return binary.getData();
        }
        throw new ServiceCallException(where + ": body must be a string or a BSON.Binary; to send an object, set encodeBodyAsJSON: true");
    }

    private static List<String> strings(String where, String field, BsonValue value) {
        List<String> out = new ArrayList<>();
        if (value.isArray()) {
            for (BsonValue v : value.asArray()) {
                out.add(scalar(where, field, v));
            }
        } else {
            out.add(scalar(where, field, value));
        }
        return out;
    }

    private static String scalar(String where, String field, BsonValue v) {
        return switch (v.getBsonType()) {
            case STRING -> v.asString().getValue();
            case INT32 -> String.valueOf(v.asInt32().getValue());
            case INT64 -> String.valueOf(v.asInt64().getValue());
            case DOUBLE -> {
                double d = v.asDouble().getValue();
                yield d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
            }
            case BOOLEAN -> String.valueOf(v.asBoolean().getValue());
            default -> throw new ServiceCallException(where + ": " + field + " must be a string or a list of strings");
        };
    }

    private static String text(BsonDocument args, String field) {
        BsonValue value = args.get(field);
        return value != null && value.isString() ? value.asString().getValue() : null;
    }
}
