package dev.thimble.runtime.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.server.ClientApiServer;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded, property-based sweep of malformed input over every client route: random bytes,
 * truncated bodies, deep nesting, huge numbers, invalid UTF-8, bad Extended JSON, wrong types,
 * wrong content types, oversized bodies, long URLs and headers, bad tokens and methods. The
 * properties: no response is a 5xx (or a dropped connection, or a stack trace), and a refused
 * request (4xx) leaves the database exactly as it was.
 *
 * <p>Two phases: structured (every value of every route's valid body replaced by each of
 * {@link #STRUCTURED_VALUES}: wrong types, bad Extended JSON, a huge number, deep nesting), then
 * random cases from a seeded generator. Reproduce with {@code -Dthimble.sweep.seed=N}; widen with
 * {@code -Dthimble.sweep.cases=N} (default {@value #DEFAULT_CASES} random cases, about a minute in all here). The requests go over raw sockets, so bytes
 * that no HTTP client library would send (invalid UTF-8 in a URL) are sent as they are.
 */
class MalformedInputSweepTest {
    /** Random cases after the structured ones. */
    static final int DEFAULT_CASES = 700;
    /** The sweep stops early after this long (a slow or busy machine); the report says how many cases ran. */
    static final long TIME_BUDGET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(Long.getLong("thimble.sweep.seconds", 75));
    static final long DEFAULT_SEED = 20261206L;
    /** Collections written by the server on its own (log records of every request, trigger state). */
    static final Set<String> VOLATILE = Set.of("log_records", "trigger_state");

    @TempDir
    static Path temp;
    static AppHost host;
    static String access;
    static String refresh;
    static String apiKey;

    @BeforeAll
    static void start() throws IOException {
        Path app = temp.resolve("app");
        copy(Path.of("../examples/todo"), app);
        // no triggers: their asynchronous writes would make "the database did not change" unobservable
        try (Stream<Path> triggers = Files.list(app.resolve("triggers"))) {
            for (Path trigger : triggers.toList()) {
                Files.delete(trigger);
            }
        }
        SecretStore secrets = new SecretStore(temp.resolve("s.json"));
        secrets.set("inboxWebhookSecret", "hook-secret");
        host = AppHost.start(AppBundles.read(app).app(), AppHost.HostSettings.of("127.0.0.1", 0,
                DatabaseSettings.embedded(temp.resolve("db")), secrets));
        ClientHttp client = new ClientHttp(host);
        assertThat(client.register("ann@example.com", "secret123").status()).isEqualTo(201);
        ClientHttp.Session session = client.loginEmail("ann@example.com", "secret123");
        access = session.accessToken();
        refresh = session.refreshToken();
        apiKey = host.auth().createServerApiKey("sweep").secret();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    /** A route with a valid request to start from. */
    record Route(String method, String path, String body, Token token) {
    }

    enum Token { NONE, ACCESS, REFRESH, JUNK_ONLY }

    static List<Route> routes() {
        String app = "/api/client/v2.0/app/todo-thmbl";
        String provider = app + "/auth/providers/local-userpass";
        String watch = Base64.getEncoder().encodeToString(
                "{\"name\":\"watch\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\"}]}"
                        .getBytes(StandardCharsets.UTF_8));
        return List.of(
                new Route("GET", app + "/location", null, Token.NONE),
                new Route("POST", app + "/functions/call", "{\"name\":\"itemsDueSoon\",\"arguments\":[7]}", Token.ACCESS),
                new Route("POST", app + "/functions/call", "{\"name\":\"find\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\","
                        + "\"collection\":\"items\",\"query\":{\"done\":false},\"project\":{\"text\":1},\"sort\":{\"due\":1},\"limit\":5}]}", Token.ACCESS),
                new Route("POST", app + "/functions/call", "{\"name\":\"updateOne\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\","
                        + "\"collection\":\"items\",\"query\":{\"_id\":{\"$oid\":\"65a000000000000000000099\"}},\"update\":{\"$set\":{\"done\":true}}}]}", Token.ACCESS),
                new Route("POST", app + "/functions/call", "{\"name\":\"aggregate\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\","
                        + "\"collection\":\"items\",\"pipeline\":[{\"$match\":{\"done\":false}},{\"$count\":\"n\"}]}]}", Token.ACCESS),
                new Route("GET", app + "/functions/call?baas_request=" + watch + "&stitch_validate=true", null, Token.ACCESS),
                new Route("POST", app + "/auth/providers/anon-user/login", "{\"options\":{\"device\":{\"deviceId\":\"65a000000000000000000001\"}}}", Token.NONE),
                new Route("POST", provider + "/login", "{\"username\":\"ann@example.com\",\"password\":\"wrong-password\"}", Token.NONE),
                new Route("POST", app + "/auth/providers/api-key/login", "{\"key\":\"not-the-key\"}", Token.NONE),
                new Route("GET", app + "/auth/providers/oauth2-google/login?redirect=http%3A%2F%2Flocalhost%3A3000", null, Token.NONE),
                new Route("POST", provider + "/register", "{\"email\":\"ann@example.com\",\"password\":\"secret123\"}", Token.NONE),
                new Route("POST", provider + "/confirm", "{\"token\":\"abc\",\"tokenId\":\"def\"}", Token.NONE),
                new Route("POST", provider + "/confirm/send", "{\"email\":\"nobody@example.com\"}", Token.NONE),
                new Route("POST", provider + "/confirm/call", "{\"email\":\"nobody@example.com\"}", Token.NONE),
                new Route("POST", provider + "/reset", "{\"token\":\"abc\",\"tokenId\":\"def\",\"password\":\"secret456\"}", Token.NONE),
                new Route("POST", provider + "/reset/send", "{\"email\":\"nobody@example.com\"}", Token.NONE),
                new Route("POST", provider + "/reset/call", "{\"email\":\"nobody@example.com\",\"password\":\"secret456\",\"arguments\":[]}", Token.NONE),
                new Route("GET", "/api/client/v2.0/auth/profile", null, Token.ACCESS),
                new Route("POST", "/api/client/v2.0/auth/session", null, Token.JUNK_ONLY),
                new Route("DELETE", "/api/client/v2.0/auth/session", null, Token.JUNK_ONLY),
                new Route("DELETE", "/api/client/v2.0/auth/delete", null, Token.JUNK_ONLY),
                new Route("POST", "/api/client/v2.0/auth/api_keys", "{\"name\":\"k\"}", Token.JUNK_ONLY),
                new Route("GET", "/api/client/v2.0/auth/api_keys/65a000000000000000000001", null, Token.JUNK_ONLY),
                new Route("GET", "/api/client/v2.0/auth/callback?state=x&code=y", null, Token.NONE),
                new Route("POST", app + "/service/inbox/incoming_webhook/newItem?secret=wrong", "{\"text\":\"milk\",\"list\":\"l1\"}", Token.NONE),
                new Route("POST", app + "/service/inbox/incoming_webhook/newItem?secret=hook-secret", "{\"text\":\"milk\",\"list\":\"l1\"}", Token.NONE),
                new Route("GET", app + "/endpoint/nothing/here", null, Token.NONE));
    }

    /** One generated request: what it is (for the report), and its bytes. */
    record Case(String kind, String description, byte[] request) {
    }

    @Test
    void noMalformedRequestGetsA5xxOrChangesTheDatabase() throws Exception {
        long seed = Long.getLong("thimble.sweep.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("thimble.sweep.cases", DEFAULT_CASES);
        Random random = new Random(seed);
        List<Route> routes = routes();
        List<String> failures = new ArrayList<>();
        TreeMap<String, Integer> byKind = new TreeMap<>();
        TreeMap<Integer, Integer> byStatus = new TreeMap<>();
        String before = fingerprint();
        int run = 0;
        int appFunctionErrors = 0;
        long started = System.nanoTime();
        List<Route> structuredRoutes = new ArrayList<>();
        List<Case> structured = new ArrayList<>();
        for (Route route : routes) {
            for (Case generated : structured(route)) {
                structuredRoutes.add(route);
                structured.add(generated);
            }
        }
        int total = structured.size() + cases;
        for (int i = 0; i < total && (i < structured.size() || System.nanoTime() - started < TIME_BUDGET_NANOS); i++) {
            boolean inStructured = i < structured.size();
            Route route = inStructured ? structuredRoutes.get(i) : routes.get(random.nextInt(routes.size()));
            int r = i - structured.size();
            Case generated = inStructured ? structured.get(i) : r < 2 ? oversized(route, r == 1) : generate(route, random);
            byKind.merge(generated.kind(), 1, Integer::sum);
            Answer answer = send(generated.request());
            run++;
            byStatus.merge(answer.status(), 1, Integer::sum);
            String where = "case " + i + " (seed " + seed + ") " + route.method() + " " + abbreviate(route.path()) + " — "
                    + generated.kind() + ": " + generated.description();
            if (appFunctionFailed(route, answer)) {
                appFunctionErrors++;
            } else if (answer.status() < 0 || answer.status() >= 500 || answer.body().contains("\tat ") || answer.body().contains("Exception:")) {
                failures.add(where + " → " + answer.status() + " " + abbreviate(answer.body()));
            }
            String after = fingerprint();
            if (answer.status() >= 400 && !after.equals(before)) {
                failures.add(where + " → " + answer.status() + " but the database changed");
            }
            before = after;
            if (failures.size() >= 20) {
                break;
            }
        }
        System.out.println("malformed-input sweep: " + run + " cases, seed " + seed + ", kinds " + byKind + ", statuses " + byStatus
                + ", of which the app's own webhook function threw: " + appFunctionErrors);
        assertThat(failures).as("cases answered 5xx, dropped, leaked a stack trace, or changed data on a refusal").isEmpty();
        assertThat(new ClientHttp(host).callFunction(access, "itemsDueSoon", "[7]").status()).as("still serving").isEqualTo(200);
    }

    /**
     * A webhook reached the app's own function, which threw (the example's {@code JSON.parse} of a
     * malformed body): the answer is 500 FunctionExecutionError with the function's message, by
     * design (WebhookTest) — the app's failure, not Thimble's.
     */
    static boolean appFunctionFailed(Route route, Answer answer) {
        return route.path().contains("/incoming_webhook/") && answer.status() == 500
                && answer.body().contains("\"error_code\":\"FunctionExecutionError\"") && answer.body().contains("at exports (services/inbox/");
    }

    // ---- generation ------------------------------------------------------------------------------

    static final String[] STRUCTURED_VALUES = {"5", "true", "null", "[]", "{}", "\"x\"", "{\"$oid\":\"zz\"}", "1e999999",
            "[".repeat(200) + "]".repeat(200)};

    /** Each value of the route's valid body (in document order) replaced by each of {@link #STRUCTURED_VALUES}. */
    static List<Case> structured(Route route) {
        List<Case> cases = new ArrayList<>();
        if (route.body() == null) {
            return cases;
        }
        int slots = slots(route.body());
        for (int slot = 0; slot < slots; slot++) {
            for (String value : STRUCTURED_VALUES) {
                String body = replaceSlot(route.body(), slot, value);
                cases.add(new Case("structured", "value " + slot + " := " + abbreviate(value) + ": " + abbreviate(body),
                        request(route.method(), route.path(), token(route, new Random(slot)), "application/json", List.of(),
                                body.getBytes(StandardCharsets.UTF_8), false)));
            }
        }
        return cases;
    }

    static int slots(String body) {
        int[] count = {0};
        walk(readTree(body), (parent, key) -> count[0]++);
        return count[0];
    }

    static String replaceSlot(String body, int slot, String raw) {
        JsonNode tree = readTree(body);
        String marker = "\u0001SLOT\u0001";
        int[] seen = {0};
        List<Runnable> set = new ArrayList<>();
        walk(tree, (parent, key) -> {
            if (seen[0]++ == slot) {
                set.add(() -> {
                    if (parent instanceof ObjectNode object) {
                        object.put((String) key, marker);
                    } else {
                        ((ArrayNode) parent).set((Integer) key, marker);
                    }
                });
            }
        });
        set.forEach(Runnable::run);
        return tree.toString().replace("\"" + marker + "\"", raw);
    }

    /** Every value below the root: its container and its key (a field name or an array index). */
    static void walk(JsonNode node, java.util.function.BiConsumer<JsonNode, Object> visit) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                visit.accept(object, name);
                walk(object.get(name), visit);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                visit.accept(array, i);
                walk(array.get(i), visit);
            }
        }
    }

    static JsonNode readTree(String body) {
        try {
            return ClientHttp.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(body, e);
        }
    }

    // ---- random generation ------------------------------------------------------------------------------

    static final String[] HUGE_NUMBERS = {"1e999999", "-1e999999", "123456789012345678901234567890123456789", "1" + "0".repeat(5000),
            "-0", "0.0000000000000000000000000000000000000001e-400", "{\"$numberLong\":\"99999999999999999999999\"}",
            "{\"$numberInt\":\"2147483648\"}", "{\"$numberDecimal\":\"1e99999\"}", "{\"$numberDouble\":\"-Infinity\"}",
            "{\"$date\":{\"$numberLong\":\"9223372036854775807\"}}", "{\"$date\":1e300}", "9223372036854775808"};
    static final String[] BAD_EJSON = {"{\"$oid\":\"zz\"}", "{\"$oid\":5}", "{\"$date\":\"not a date\"}", "{\"$binary\":{\"base64\":\"!!\",\"subType\":\"zz\"}}",
            "{\"$binary\":5}", "{\"$regularExpression\":{\"pattern\":\"(\",\"options\":\"q\"}}", "{\"$regex\":5,\"$options\":[]}",
            "{\"$numberInt\":\"x\"}", "{\"$numberLong\":{}}", "{\"$numberDecimal\":\"NaNx\"}", "{\"$timestamp\":{}}", "{\"$timestamp\":{\"t\":-1,\"i\":\"a\"}}",
            "{\"$undefined\":\"x\"}", "{\"$maxKey\":2}", "{\"$minKey\":\"a\"}", "{\"$code\":5}", "{\"$symbol\":[]}", "{\"$dbPointer\":{}}",
            "{\"$uuid\":\"nope\"}", "{\"$foo\":1}", "{\"$oid\":\"65a000000000000000000001\",\"extra\":1}", "{\"$date\":{\"$numberLong\":\"x\"}}"};
    static final String[] WRONG_TYPES = {"5", "-1", "0.5", "true", "false", "null", "[]", "[1,\"a\",null]", "{}", "{\"a\":{\"b\":[]}}",
            "\"\"", "\"x\"", "\"" + "y".repeat(100_000) + "\"", "{\"$oid\":\"65a000000000000000000001\"}", "[[[]]]", "\"\\u0000\""};
    static final String[] CONTENT_TYPES = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=iso-8859-1", "application/ejson", "*/*", "", "application/json\u0000", "garbage;;;=="};
    static final byte[][] INVALID_UTF8 = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0x80, (byte) 0x80, (byte) 0x80}};
    static final String[] METHODS = {"PUT", "PATCH", "OPTIONS", "TRACE", "HEAD", "FOO", "CONNECT", "DELETE", "GET", "POST"};

    static Case generate(Route route, Random random) {
        String body = route.body() == null ? "{}" : route.body();
        String path = route.path();
        String token = token(route, random);
        String contentType = "application/json";
        String method = route.method();
        List<String> extraHeaders = new ArrayList<>();
        byte[] bodyBytes;
        String kind;
        switch (random.nextInt(13)) {
            case 0 -> {
                kind = "random bytes";
                bodyBytes = new byte[random.nextInt(3000)];
                random.nextBytes(bodyBytes);
            }
            case 1 -> {
                kind = "truncated";
                byte[] whole = body.getBytes(StandardCharsets.UTF_8);
                bodyBytes = java.util.Arrays.copyOf(whole, random.nextInt(Math.max(1, whole.length)));
            }
            case 2 -> {
                int depth = List.of(99, 100, 101, 150, 1_000, 10_000, 50_000).get(random.nextInt(7));
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                String deep = open.repeat(depth) + "1" + close.repeat(random.nextInt(4) == 0 ? depth / 2 : depth);
                kind = "nesting " + depth;
                bodyBytes = replaceValue(body, deep, random).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                String number = HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)];
                kind = "huge number " + abbreviate(number);
                bodyBytes = replaceValue(body, number, random).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                byte[] whole = body.getBytes(StandardCharsets.UTF_8);
                byte[] bad = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
                int at = random.nextInt(whole.length + 1);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(whole, 0, at);
                out.writeBytes(bad);
                out.write(whole, at, whole.length - at);
                kind = "invalid UTF-8 at " + at;
                bodyBytes = out.toByteArray();
            }
            case 5 -> {
                String ejson = BAD_EJSON[random.nextInt(BAD_EJSON.length)];
                kind = "bad Extended JSON " + ejson;
                bodyBytes = replaceValue(body, ejson, random).getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> {
                String value = WRONG_TYPES[random.nextInt(WRONG_TYPES.length)];
                kind = "wrong type " + abbreviate(value);
                bodyBytes = replaceValue(body, value, random).getBytes(StandardCharsets.UTF_8);
            }
            case 7 -> {
                contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
                kind = "content type '" + contentType + "'";
                bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            }
            case 8 -> {
                int length = List.of(2_000, 8_000, 20_000, 70_000).get(random.nextInt(4));
                path = random.nextBoolean() ? path + (path.contains("?") ? "&" : "?") + "q=" + "a".repeat(length)
                        : path.replace("/app/", "/app/" + "x".repeat(length) + "/../");
                kind = "long URL " + length;
                bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            }
            case 9 -> {
                int which = random.nextInt(4);
                kind = "headers " + which;
                switch (which) {
                    case 0 -> token = "x".repeat(200_000);
                    case 1 -> {
                        for (int h = 0; h < 300; h++) {
                            extraHeaders.add("X-Extra-" + h + ": " + "v".repeat(50));
                        }
                    }
                    case 2 -> extraHeaders.add("X-Long: " + "z".repeat(100_000));
                    default -> extraHeaders.add("X-Bad: \u00ff\u0001\u007f");
                }
                bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            }
            case 10 -> {
                method = METHODS[random.nextInt(METHODS.length)];
                kind = "method " + method;
                bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            }
            case 11 -> {
                byte[] bad = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
                String raw = new String(bad, StandardCharsets.ISO_8859_1);
                int choice = random.nextInt(3);
                path = switch (choice) {
                    case 0 -> path + (path.contains("?") ? "&" : "?") + "baas_request=" + raw + "%ZZ%";
                    case 1 -> path.replace("todo-thmbl", "todo-thmbl" + raw);
                    default -> path + (path.contains("?") ? "&" : "?") + "stitch_request=" + base64(deepJson(random)) + "&device=" + base64("{\"deviceId\":" + deepJson(random) + "}");
                };
                kind = "query/path bytes " + choice;
                bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                int choice = random.nextInt(4);
                kind = "token " + choice;
                token = switch (choice) {
                    case 0 -> base64url("{\"alg\":\"none\"}") + "." + base64url("{\"sub\":\"65a000000000000000000001\",\"typ\":\"access\",\"exp\":99999999999}") + ".";
                    case 1 -> access.substring(0, access.length() / 2);
                    case 2 -> access.substring(0, access.indexOf('.') + 1) + base64url("{\"sub\":" + deepJson(random) + "}") + access.substring(access.lastIndexOf('.'));
                    default -> new String(randomAscii(random, 300));
                };
                bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            }
        }
        boolean chunked = random.nextInt(10) == 0;
        return new Case(kind.replaceAll(" (at |'|\\{|\\[|\"|-?\\d|true|false|null).*$", ""), kind + " " + (chunked ? "chunked " : "") + abbreviate(new String(bodyBytes, StandardCharsets.UTF_8)),
                request(method, path, token, contentType, extraHeaders, bodyBytes, chunked));
    }

    /** A body over the limit, with a Content-Length or chunked. */
    static Case oversized(Route route, boolean chunked) {
        byte[] body = new byte[(int) ClientApiServer.MAX_BODY_BYTES + (1 << 20)];
        java.util.Arrays.fill(body, (byte) 'x');
        body[0] = '[';
        return new Case("oversized", body.length + " bytes" + (chunked ? " chunked" : ""),
                request("POST", "/api/client/v2.0/app/todo-thmbl/functions/call", access, "application/json", List.of(), body, chunked));
    }

    static String token(Route route, Random random) {
        return switch (route.token()) {
            case ACCESS -> access;
            case REFRESH -> refresh;
            case JUNK_ONLY -> random.nextBoolean() ? null : "junk." + random.nextInt();
            case NONE -> random.nextInt(5) == 0 ? access : null;
        };
    }

    static String deepJson(Random random) {
        int depth = 1_000 + random.nextInt(20_000);
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** The body with one value (anywhere in it) replaced by raw JSON text, which need not be valid. */
    static String replaceValue(String body, String raw, Random random) {
        JsonNode tree;
        try {
            tree = ClientHttp.MAPPER.readTree(body);
        } catch (IOException e) {
            return raw;
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        String slot = "\u0001SLOT\u0001";
        if (containers.isEmpty() || random.nextInt(8) == 0) {
            return raw;
        }
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            object.put(names.isEmpty() || random.nextInt(5) == 0 ? "extra" : names.get(random.nextInt(names.size())), slot);
        } else if (container instanceof ArrayNode array) {
            if (array.isEmpty() || random.nextInt(5) == 0) {
                array.add(slot);
            } else {
                array.set(random.nextInt(array.size()), slot);
            }
        }
        return tree.toString().replace("\"" + slot + "\"", raw);
    }

    static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.forEach(child -> collect(child, containers));
        }
    }

    static byte[] request(String method, String path, String token, String contentType, List<String> extraHeaders, byte[] body, boolean chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(host.server().port()).append("\r\n");
        head.append("Connection: close\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (!contentType.isEmpty()) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        boolean hasBody = body.length > 0 && !method.equals("GET") && !method.equals("HEAD");
        if (hasBody) {
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (hasBody) {
            if (chunked) {
                for (int at = 0; at < body.length; at += 65536) {
                    int n = Math.min(65536, body.length - at);
                    out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, at, n);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes(body);
            }
        }
        return out.toByteArray();
    }

    // ---- sending and observing -------------------------------------------------------------------

    /** The status (-1: no answer) and the first 64 KB of the body. */
    record Answer(int status, String body) {
    }

    static Answer send(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", host.server().port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer (and close) before reading everything: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                head.write(c);
                byte[] h = head.toByteArray();
                if (h.length >= 4 && h[h.length - 4] == '\r' && h[h.length - 3] == '\n' && h[h.length - 2] == '\r' && h[h.length - 1] == '\n') {
                    break;
                }
            }
            String headers = head.toString(StandardCharsets.ISO_8859_1);
            if (!headers.startsWith("HTTP/1.1 ")) {
                return new Answer(-1, "no HTTP answer: " + abbreviate(headers));
            }
            int status = Integer.parseInt(headers.substring(9, 12));
            if (headers.toLowerCase(java.util.Locale.ROOT).contains("content-type: text/event-stream")) {
                return new Answer(status, "(event stream)");
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) != -1; ) {
                if (body.size() < 65536) {
                    body.write(buffer, 0, Math.min(n, 65536 - body.size()));
                }
            }
            return new Answer(status, body.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(-1, "connection failed: " + e);
        }
    }

    /** A digest of every document the client API could change (all but the log records and trigger state). */
    static String fingerprint() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        MongoClient client = host.database().client();
        for (String database : client.listDatabaseNames().into(new ArrayList<>()).stream().sorted().toList()) {
            if (Set.of("admin", "local", "config").contains(database)) {
                continue;
            }
            for (String collection : client.getDatabase(database).listCollectionNames().into(new ArrayList<>()).stream().sorted().toList()) {
                if (VOLATILE.contains(collection)) {
                    continue;
                }
                digest.update((database + "." + collection + "\n").getBytes(StandardCharsets.UTF_8));
                for (Document document : client.getDatabase(database).getCollection(collection).find().sort(new Document("_id", 1))) {
                    digest.update(document.toJson().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String abbreviate(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…(" + oneLine.length() + ")" : oneLine;
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static char[] randomAscii(Random random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) (33 + random.nextInt(94));
        }
        return chars;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
