package dev.thimble.runtime.services;

import dev.thimble.runtime.functions.ServiceCallException;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code http} service type (STITCH-SPEC §5A), also behind {@code context.http}: one outgoing request
 * per action through an {@link HttpDoor}, bounded in time and in response size, answered as
 * {@code {status: "200 OK", statusCode, contentLength, headers: {Name: [v]}, cookies, body: Binary}}.
 */
public final class HttpService implements ServiceType {
    /** Default limits: a call answers within 30 s, with at most 16 MB of body. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final HttpDoor door;
    private final Duration timeLimit;
    private final long maxResponseBytes;

    public HttpService(HttpDoor door, Duration timeLimit, long maxResponseBytes) {
        this.door = door;
        this.timeLimit = timeLimit;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** The JDK client with the default limits. */
    public static HttpService standard() {
        return new HttpService(HttpDoor.jdk(Duration.ofSeconds(10)), DEFAULT_TIME_LIMIT, DEFAULT_MAX_RESPONSE_BYTES);
    }

    @Override
    public Set<String> types() {
        return Set.of("http");
    }

    @Override
    public BsonDocument ruleArguments(ServiceRequest request) {
        return HttpArguments.forRules("HTTP service", request.arguments());
    }

    @Override
    public BsonValue call(ConfiguredService service, ServiceRequest request) {
        String where = where(service, request.action());
        HttpArguments args = HttpArguments.parse(where, request.action(), request.arguments());
        HttpRequest.Builder builder = HttpRequest.newBuilder(args.uri()).timeout(timeLimit);
        if (args.uri().getScheme().equalsIgnoreCase("http")) {
            // no h2c upgrade attempt on plain HTTP: few servers speak it, and the attempt costs every new connection
            builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
        }
        builder
                .method(args.method(), args.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(args.body()));
        try {
            args.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        } catch (IllegalArgumentException e) {
            throw new ServiceCallException(where + ": a header is not valid: " + e.getMessage());
        }
        String target = args.uri().getScheme() + "://" + args.uri().getAuthority();
        HttpResponse<InputStream> response;
        try {
            response = door.send(builder.build(), args.followRedirects());
        } catch (HttpConnectTimeoutException e) {
            throw new ServiceCallException(where + ": could not connect to " + target + " in time");
        } catch (HttpTimeoutException e) {
            throw new ServiceCallException(where + ": " + target + " did not answer within " + timeLimit.toMillis() + " ms");
        } catch (ConnectException e) {
            boolean unresolved = e.getCause() instanceof UnresolvedAddressException;
            throw new ServiceCallException(where + ": could not connect to " + target + " ("
                    + (unresolved ? "unknown host" : "connection refused or unreachable") + ")");
        } catch (IOException e) {
            throw new ServiceCallException(where + ": the request to " + target + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceCallException(where + ": the request to " + target + " was interrupted");
        }
        byte[] body = read(where, target, response);
        return reply(response, body);
    }

    private byte[] read(String where, String target, HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            for (int n; (n = in.read(buffer)) != -1; ) {
                if (out.size() + n > maxResponseBytes) {
                    throw new ServiceCallException(where + ": the response from " + target + " is larger than "
                            + maxResponseBytes + " bytes, the most a function may receive");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (HttpTimeoutException e) {
            throw new ServiceCallException(where + ": " + target + " did not send its whole answer within " + timeLimit.toMillis() + " ms");
        } catch (IOException e) {
            throw new ServiceCallException(where + ": reading the response from " + target + " failed: " + e.getMessage());
        }
    }

    private static BsonDocument reply(HttpResponse<InputStream> response, byte[] body) {
        int code = response.statusCode();
        BsonDocument headers = new BsonDocument();
        BsonDocument cookies = new BsonDocument();
        Map<String, List<String>> sorted = new TreeMap<>(response.headers().map());
        sorted.forEach((name, values) -> {
            if (name.startsWith(":")) {
                return; // HTTP/2 pseudo-headers
            }
            BsonArray array = new BsonArray();
            values.forEach(v -> array.add(new BsonString(v)));
            headers.put(canonical(name), array);
            if (name.equalsIgnoreCase("set-cookie")) {
                for (String cookie : values) {
                    String pair = cookie.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        cookies.put(pair.substring(0, eq).trim(), new BsonString(pair.substring(eq + 1).trim()));
                    }
                }
            }
        });
        long contentLength = response.headers().firstValueAsLong("content-length").orElse(body.length);
        return new BsonDocument("status", new BsonString(code + " " + HttpStatusText.of(code)))
                .append("statusCode", new BsonInt32(code))
                .append("contentLength", new BsonInt64(contentLength))
                .append("headers", headers)
                .append("cookies", cookies)
                .append("body", new BsonBinary(body));
    }

    /** {@code content-type} → {@code Content-Type}, as Go (and so Stitch) wrote header names. */
    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static String where(ConfiguredService service, String action) {
        String name = service.name().equals(dev.thimble.runtime.functions.ServiceClient.CONTEXT_HTTP)
                ? "context.http" : "HTTP service '" + service.name() + "'";
        return name + " " + action.toLowerCase(Locale.ROOT);
    }
}
