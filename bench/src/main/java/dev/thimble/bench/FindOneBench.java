package dev.thimble.bench;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.auth.AuthService;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Issue 3's benchmark: SDK-path {@code findOne} by {@code _id} under the owner rule of
 * {@code todo.items}, against the raw driver {@code findOne} on the same embedded database and a
 * bare HTTP round trip ({@code GET …/location}) on the same server; 1 and 16 clients.
 */
public final class FindOneBench {
    static final String SDK = "sdk findOne (HTTP + rules)";
    static final String DRIVER = "driver findOne";
    static final String LOCATION = "http GET location";
    static final String NODE = "node+express+driver findOne";
    static final int ITEMS = Integer.getInteger("bench.items", 1000);

    public static void main(String[] args) throws Exception {
        Path scratch = Files.createTempDirectory("thimble-bench-findone");
        Report report = new Report("findone", "findOne by _id: SDK path vs driver vs bare HTTP");
        Process node = null;
        try (AppHost host = Common.start(Common.exampleApp(f -> f), scratch)) {
            AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
            MongoCollection<Document> items = host.database().database("todo").getCollection("items");
            List<ObjectId> ids = new ArrayList<>();
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                ObjectId id = new ObjectId();
                ids.add(id);
                docs.add(new Document("_id", id).append("owner_id", login.userId()).append("text", "item " + i)
                        .append("done", i % 3 == 0).append("created", new Date()));
            }
            items.insertMany(docs);
            ObjectId foreign = new ObjectId();
            items.insertOne(new Document("_id", foreign).append("owner_id", "someone-else").append("text", "not yours"));

            String api = host.clientApiUrl();
            HttpClient http = Common.httpClient();
            List<HttpRequest> findOnes = ids.stream().map(id -> Common.call(api, login.accessToken(), findOneBody(id))).toList();
            HttpRequest location = HttpRequest.newBuilder(URI.create(api + "/location")).GET().build();
            node = FunctionCallBench.startNode(host, scratch);
            String portLine = new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream(), java.nio.charset.StandardCharsets.UTF_8)).readLine();
            Common.check(portLine != null && portLine.startsWith("PORT "), "node baseline did not start: " + portLine);
            String nodeApi = "http://127.0.0.1:" + portLine.substring(5).trim() + "/api/client/v2.0/app/" + host.app().clientAppId();
            List<HttpRequest> nodeFindOnes = ids.stream().map(id -> Common.call(nodeApi, login.accessToken(), findOneBody(id))).toList();
            var nodeOwn = Common.send(http, nodeFindOnes.get(0));
            Common.check(nodeOwn.statusCode() == 200 && nodeOwn.body().contains(ids.get(0).toHexString()), "node findOne: " + nodeOwn.statusCode() + " " + nodeOwn.body());

            // Sanity: the SDK path returns the owner's item and hides someone else's.
            var own = Common.send(http, findOnes.get(0));
            Common.check(own.statusCode() == 200 && own.body().contains(ids.get(0).toHexString()), "findOne of an own item: " + own.statusCode() + " " + own.body());
            var other = Common.send(http, Common.call(api, login.accessToken(), findOneBody(foreign)));
            Common.check(other.statusCode() == 200 && other.body().trim().equals("null"), "findOne of a foreign item: " + other.statusCode() + " " + other.body());
            Common.check(items.find(Filters.eq("_id", ids.get(0))).first() != null, "driver findOne");
            Common.check(Common.send(http, location).statusCode() == 200, "location");

            IntFunction<Load.Op> sdk = c -> () -> {
                int i = ThreadLocalRandom.current().nextInt(ITEMS);
                var r = http.send(findOnes.get(i), java.net.http.HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().length() > 40;
            };
            IntFunction<Load.Op> driver = c -> () -> {
                int i = ThreadLocalRandom.current().nextInt(ITEMS);
                return items.find(Filters.eq("_id", ids.get(i))).first() != null;
            };
            IntFunction<Load.Op> nodeSdk = c -> () -> {
                int i = ThreadLocalRandom.current().nextInt(ITEMS);
                var r = http.send(nodeFindOnes.get(i), java.net.http.HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().length() > 40;
            };
            IntFunction<Load.Op> bare = c -> () -> {
                var r = http.send(location, java.net.http.HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200;
            };
            report.describe(SDK, "POST functions/call {name:findOne, service:mongodb-atlas, arguments:[{database:todo, collection:items, query:{_id:{$oid}}}]} "
                    + "with a Bearer access token of an anon-user, canonical EJSON body, java.net.http.HttpClient (HTTP/1.1, one shared client); "
                    + "owner rule + \"only my items\" filter of todo.items; a random one of " + ITEMS + " items owned by the user");
            report.describe(DRIVER, "collection.find(eq(_id, id)).first() with the host's own driver client (host.database()) on the same embedded server");
            report.describe(LOCATION, "GET …/app/<id>/location on the same Undertow server, same HttpClient");

            report.describe(NODE, "the same request to the hand-written baseline (bench/node/baseline.js: Node + Express 5 + mongodb driver, "
                    + "the same HS256 token check, the owner rule written by hand as findOne({$and:[query, {owner_id}]})) on the same embedded server");
            String[] names = {SDK, NODE, DRIVER, LOCATION};
            List<IntFunction<Load.Op>> cases = List.of(sdk, nodeSdk, driver, bare);
            Common.measureInterleaved(report, names, cases);
            for (int clients : new int[]{1, Common.CONCURRENT}) {
                report.ratio("(a) SDK findOne / hand-written Node+Express+driver", SDK, NODE, clients);
                report.ratio("(a) SDK findOne / (b) driver findOne", SDK, DRIVER, clients);
                report.ratio("(a) SDK findOne / (c) bare HTTP", SDK, LOCATION, clients);
            }
            report.note("Rounds: " + Common.ROUNDS + " × " + Common.ROUND_MILLIS + " ms per case and client count, cases interleaved within each round; "
                    + "warm-up " + Common.WARMUP_MILLIS + " ms per case first. Closed loop: each client sends its next request when the previous answer arrives.");
            report.note("Everything (server, embedded database, clients) runs in one JVM on a shared " + Runtime.getRuntime().availableProcessors()
                    + "-core machine: with 16 clients the clients compete with the server for the CPU, and other work on the machine adds noise. Compare ratios, not absolute numbers.");
            report.note("The example app's triggers are left out of the model so they do no background work; its rules and everything else are as in examples/todo. "
                    + "Each SDK request also writes a log record (batched, off the request thread), as in production.");
        } finally {
            if (node != null) {
                node.destroy();
                node.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            Common.deleteTree(scratch);
        }
        report.write(Common.RESULTS, Common.COMMAND);
    }

    static String findOneBody(ObjectId id) {
        return "{\"name\":\"findOne\",\"service\":\"mongodb-atlas\",\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\","
                + "\"query\":{\"_id\":{\"$oid\":\"" + id.toHexString() + "\"}}}]}";
    }
}
