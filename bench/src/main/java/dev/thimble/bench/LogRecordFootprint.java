package dev.thimble.bench;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogSubscription;
import org.bson.Document;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How many heap bytes one log record costs the workbench's logs panel, which holds every record of the live
 * feed up to its bound (decision 0044 sizes the bound by this). Serves the example app, makes the after-use
 * calls of the start-up benchmark (a function call and a find through the client API, each one request
 * record) {@code bench.logRecords} times, collects the records the live feed delivers, and compares the
 * heap in use after a full collection with the records held (as the panel holds them: a list and a set of
 * their ids) and without. Prints the result; nothing is written to bench/results.
 * Run: {@code java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.thimble.bench.LogRecordFootprint}
 */
public final class LogRecordFootprint {
    private static final int CALLS = Integer.getInteger("bench.logRecords", 4000);

    private LogRecordFootprint() {
    }

    public static void main(String[] args) throws Exception {
        List<LogRecord> held = records();
        // the server is closed and unreachable now: the records are held by this list alone (the log service's
        // own in-memory ring would otherwise keep them too)
        Set<Object> ids = new HashSet<>();
        held.forEach(r -> ids.add(r.id()));
        long with = usedAfterGc();
        int n = held.size();
        int json = held.get(n / 2).toDocument().toJson().length();
        held = null;
        ids.clear();
        long without = usedAfterGc();
        System.out.printf("%d records (request records of itemsDueSoon and find): %.0f bytes each as the panel holds them (%,d bytes); "
                + "a record is ~%d characters of JSON%n", n, (with - without) / (double) n, with - without, json);
    }

    /** The live feed's records of {@code bench.logRecords} client calls to the example app, which is then closed. */
    private static List<LogRecord> records() throws Exception {
        Path scratch = Files.createTempDirectory("thimble-bench-logrecords");
        try (AppHost host = Common.start(Common.exampleApp(f -> f), scratch)) {
            List<LogRecord> fed = new CopyOnWriteArrayList<>();
            LogSubscription subscription = host.logs().subscribe(fed::addAll);
            AuthService.LoginResult login = host.auth().login("anon-user", new Document(), "127.0.0.1", null);
            HttpClient http = Common.httpClient();
            HttpRequest due = Common.call(host.clientApiUrl(), login.accessToken(), "{\"name\":\"itemsDueSoon\",\"arguments\":[7]}");
            HttpRequest find = Common.call(host.clientApiUrl(), login.accessToken(), "{\"name\":\"find\",\"service\":\"mongodb-atlas\","
                    + "\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\",\"query\":{}}]}");
            for (int i = 0; i < CALLS / 2; i++) {
                Common.check(Common.send(http, due).statusCode() == 200, "itemsDueSoon");
                Common.check(Common.send(http, find).statusCode() == 200, "find");
            }
            long giveUp = System.nanoTime() + 60_000_000_000L;
            while (fed.size() < CALLS && System.nanoTime() < giveUp) {
                Thread.sleep(50);
            }
            subscription.close();
            return new ArrayList<>(fed);
        } finally {
            Common.deleteTree(scratch);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
