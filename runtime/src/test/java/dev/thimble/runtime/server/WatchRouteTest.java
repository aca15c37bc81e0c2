package dev.thimble.runtime.server;

import dev.thimble.testing.Eventually;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming watch over raw HTTP, both request forms, against the example app served by a real host. */
class WatchRouteTest {
    @TempDir
    static Path temp;
    static AppHost host;
    static final MovableClock clock = new MovableClock();
    static final HttpClient http = HttpClient.newHttpClient();
    final List<Stream> streams = new ArrayList<>();

    static final class MovableClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeAll
    static void serve() {
        WatchRoute.keepAliveMillis = 300;
        AppModel todo = AppBundles.read(Path.of("../examples/todo")).app();
        host = AppHost.start(todo, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")),
                new SecretStore(temp.resolve("secrets.json"))).withClock(clock));
    }

    @AfterAll
    static void stop() {
        WatchRoute.keepAliveMillis = SseStream.KEEP_ALIVE_MILLIS;
        if (host != null) {
            host.close();
        }
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(Stream::close);
    }

    record Login(String token, String userId) {
    }

    static Login login() {
        var result = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
        return new Login(result.accessToken(), result.userId());
    }

    static String base64(String json) {
        return URLEncoder.encode(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    static String watchRequest(String argument) {
        return "{\"name\": \"watch\", \"service\": \"mongodb-atlas\", \"arguments\": [" + argument + "]}";
    }

    static HttpResponse<String> get(String query, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call" + query))
                .header("Accept", "text/event-stream");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An open event stream read line by line on a thread of its own. */
    static final class Stream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        lines.add(line);
                    }
                    lines.add("<end>");
                } catch (IOException e) {
                    lines.add("<closed>");
                }
            });
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertThat(line).as("a line within 5 s").isNotNull();
            return line;
        }

        /** The next {@code data:} line, skipping comments and blank lines. */
        String nextData() throws InterruptedException {
            while (true) {
                String line = nextLine();
                if (line.startsWith("data: ") || line.startsWith("event:") || line.startsWith("<")) {
                    return line;
                }
            }
        }

        static BsonDocument parse(String dataLine) {
            String data = dataLine.substring("data: ".length()).replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
            return BsonDocument.parse(data);
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // closing the connection
            }
        }
    }

    Stream open(String query, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.clientApiUrl() + "/functions/call" + query))
                .header("Accept", "text/event-stream");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        Stream stream = new Stream(response);
        streams.add(stream);
        return stream;
    }

    static String items() {
        return "{\"database\": \"todo\", \"collection\": \"items\"}";
    }

    static void insert(Document item) {
        host.database().database("todo").getCollection("items").insertOne(item);
    }

    @Test
    void everyRefusalIsAJsonErrorBeforeAnyStreamOpens() throws Exception {
        awaitNoOpenStreams();
        Login user = login();
        HttpResponse<String> missing = get("?stitch_request=" + base64(watchRequest(items())), null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().allValues("Content-Type")).containsExactly("application/json");
        assertThat(missing.body()).contains("\"error_code\":\"InvalidSession\"");

        HttpResponse<String> forged = get("?stitch_request=" + base64(watchRequest(items())) + "&stitch_at=a.b.c", null);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("InvalidSession");

        clock.offset = Duration.ofHours(1);
        try {
            HttpResponse<String> expired = get("?baas_request=" + base64(watchRequest(items())), user.token());
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.headers().allValues("Content-Type")).containsExactly("application/json");
            assertThat(expired.body()).contains("InvalidSession");
        } finally {
            clock.offset = Duration.ZERO;
        }

        assertThat(get("", user.token()).body()).contains("InvalidParameter", "stitch_request");
        assertThat(get("?baas_request=!!!", user.token()).statusCode()).isEqualTo(400);
        assertThat(get("?baas_request=" + base64("{\"name\": \"find\", \"service\": \"mongodb-atlas\", \"arguments\": [{}]}"),
                user.token()).body()).contains("only \\\"watch\\\" can be streamed");
        assertThat(get("?baas_request=" + base64("{\"name\": \"watch\", \"service\": \"nope\", \"arguments\": [" + items() + "]}"),
                user.token()).body()).contains("ServiceNotFound");
        HttpResponse<String> noRule = get("?baas_request=" + base64(watchRequest("{\"database\": \"todo\", \"collection\": \"secrets\"}")),
                user.token());
        assertThat(noRule.statusCode()).isEqualTo(403);
        assertThat(noRule.body()).contains("NoMatchingRuleFound");
        assertThat(get("?baas_request=" + base64(watchRequest("{\"database\": \"todo\"}")), user.token()).body())
                .contains("MissingParameter");
        assertThat(host.server().openWatchStreams()).isZero();
    }

    @Test
    void stitchValidatesThenStreamsWhatTheRulesLetTheUserSee() throws Exception {
        Login ann = login();
        String query = "?stitch_request=" + base64(watchRequest(items())) + "&stitch_at=" + ann.token();
        HttpResponse<String> validated = get(query + "&stitch_validate=true", null);
        assertThat(validated.statusCode()).isEqualTo(200);
        assertThat(validated.body()).isEmpty();
        assertThat(validated.headers().firstValue("Content-Type")).isEmpty();

        Stream stream = open(query, null);
        assertThat(stream.response.statusCode()).isEqualTo(200);
        assertThat(stream.response.headers().allValues("Content-Type")).containsExactly("text/event-stream");
        assertThat(stream.response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(stream.nextLine()).isEqualTo(":");

        ObjectId hidden = new ObjectId();
        ObjectId mine = new ObjectId();
        insert(new Document("_id", hidden).append("owner_id", "someone-else").append("text", "secret"));
        insert(new Document("_id", mine).append("owner_id", ann.userId()).append("text", "50% off\r\nmilk"));
        String line = stream.nextData();
        assertThat(line).startsWith("data: {\"_id\": {\"_data\": ").contains("50%25 off").doesNotContain("\n");
        BsonDocument event = Stream.parse(line);
        assertThat(event.getString("operationType").getValue()).isEqualTo("insert");
        assertThat(event.getDocument("ns")).isEqualTo(BsonDocument.parse("{db: 'todo', coll: 'items'}"));
        assertThat(event.getDocument("documentKey").getObjectId("_id").getValue()).isEqualTo(mine);
        assertThat(event.getDocument("fullDocument").getString("text").getValue()).isEqualTo("50% off\r\nmilk");
        assertThat(event.get("clusterTime").isTimestamp()).isTrue();
        assertThat(line).contains("\"clusterTime\": {\"$timestamp\": {\"t\": ");

        host.database().database("todo").getCollection("items").updateOne(new Document("_id", mine),
                new Document("$set", new Document("done", true)));
        host.database().database("todo").getCollection("items").deleteOne(new Document("_id", hidden));
        host.database().database("todo").getCollection("items").deleteOne(new Document("_id", mine));
        BsonDocument update = Stream.parse(stream.nextData());
        assertThat(update.getString("operationType").getValue()).isEqualTo("update");
        assertThat(update.getDocument("updateDescription")).isEqualTo(BsonDocument.parse(
                "{updatedFields: {done: true}, removedFields: [], truncatedArrays: []}"));
        BsonDocument delete = Stream.parse(stream.nextData());
        assertThat(delete.getString("operationType").getValue()).isEqualTo("delete");
        assertThat(delete.getDocument("documentKey").getObjectId("_id").getValue()).isEqualTo(mine);
    }

    @Test
    void realmFormWithIdsAndCompactEvents() throws Exception {
        Login ann = login();
        ObjectId watched = new ObjectId();
        ObjectId other = new ObjectId();
        String argument = "{\"database\": \"todo\", \"collection\": \"items\", \"ids\": [{\"$oid\": \"" + watched.toHexString()
                + "\"}], \"useCompactEvents\": true}";
        Stream stream = open("?baas_request=" + base64(watchRequest(argument)), ann.token());
        assertThat(stream.response.statusCode()).isEqualTo(200);
        assertThat(stream.nextLine()).isEqualTo(":");
        insert(new Document("_id", other).append("owner_id", ann.userId()).append("text", "not watched"));
        insert(new Document("_id", watched).append("owner_id", ann.userId()).append("text", "watched"));
        BsonDocument compact = Stream.parse(stream.nextData());
        assertThat(compact.keySet()).containsExactly("ot", "dk", "fd");
        assertThat(compact.getString("ot").getValue()).isEqualTo("insert");
        assertThat(compact.getDocument("dk").getObjectId("_id").getValue()).isEqualTo(watched);
    }

    @Test
    void streamsOfOneCollectionEachGetTheirOwnView() throws Exception {
        Login ann = login();
        Login bob = login();
        String compact = "{\"database\": \"todo\", \"collection\": \"items\", \"useCompactEvents\": true}";
        Stream annFull = open("?baas_request=" + base64(watchRequest(items())), ann.token());
        Stream annAgain = open("?baas_request=" + base64(watchRequest(items())), ann.token());
        Stream annCompact = open("?baas_request=" + base64(watchRequest(compact)), ann.token());
        Stream bobFull = open("?baas_request=" + base64(watchRequest(items())), bob.token());
        for (Stream stream : List.of(annFull, annAgain, annCompact, bobFull)) {
            assertThat(stream.nextLine()).isEqualTo(":");
        }
        ObjectId annItem = new ObjectId();
        ObjectId bobItem = new ObjectId();
        insert(new Document("_id", annItem).append("owner_id", ann.userId()).append("text", "ann's"));
        insert(new Document("_id", bobItem).append("owner_id", bob.userId()).append("text", "bob's"));

        String annLine = annFull.nextData();
        assertThat(annAgain.nextData()).isEqualTo(annLine);
        assertThat(Stream.parse(annLine).getDocument("documentKey").getObjectId("_id").getValue()).isEqualTo(annItem);
        BsonDocument annCompactEvent = Stream.parse(annCompact.nextData());
        assertThat(annCompactEvent.keySet()).containsExactly("ot", "dk", "fd");
        assertThat(annCompactEvent.getDocument("dk").getObjectId("_id").getValue()).isEqualTo(annItem);
        BsonDocument bobEvent = Stream.parse(bobFull.nextData()); // bob never sees ann's item: his first event is his own
        assertThat(bobEvent.getDocument("documentKey").getObjectId("_id").getValue()).isEqualTo(bobItem);
        assertThat(bobEvent.getDocument("fullDocument").getString("text").getValue()).isEqualTo("bob's");
    }

    @Test
    void idleStreamsGetKeepAlivesAndAClientThatLeavesIsForgotten() throws Exception {
        awaitNoOpenStreams(); // those of other tests, closed by their clients
        Login ann = login();
        Stream stream = open("?baas_request=" + base64(watchRequest(items())), ann.token());
        assertThat(stream.nextLine()).isEqualTo(":");
        assertThat(stream.nextLine()).isEmpty();
        long start = System.nanoTime();
        assertThat(stream.nextLine()).isEqualTo(":");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(host.server().openWatchStreams()).isEqualTo(1);

        stream.close();
        awaitNoOpenStreams();
    }

    static void awaitNoOpenStreams() throws InterruptedException {
        Eventually.await("the server to notice its clients left", () -> host.server().openWatchStreams() == 0);
    }
}
