package dev.thimble.runtime.triggers;

import dev.thimble.testing.Eventually;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.logs.LogType;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database: the first owns the embedded server, the second is connected to it by
 * URI and reads its event log remotely. Each trigger event is handled once, by the lease holder; when
 * the holder stops (closed, or killed with SIGKILL) the other takes the trigger over from its stored position.
 */
class TwoNodesTest {
    @TempDir
    Path temp;
    final List<AppHost> hosts = new ArrayList<>();
    Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        for (int i = hosts.size() - 1; i >= 0; i--) {
            hosts.get(i).close(); // the owner of the embedded server last
        }
    }

    TriggerBundle bundle(boolean disabled) {
        return TriggerBundle.in(temp.resolve("app"))
                .function("copy", "exports = async function(event) {\n"
                        + "  await context.services.get('mongodb-atlas').db('sink').collection('copies').insertOne({src: event.fullDocument._id});\n};")
                .trigger("copier", "{\"name\": \"copier\", \"type\": \"DATABASE\", \"function_name\": \"copy\", \"disabled\": " + disabled + ","
                        + " \"config\": {\"service_name\": \"mongodb-atlas\", \"database\": \"shop\", \"collection\": \"items\","
                        + " \"operation_types\": [\"INSERT\"]}}");
    }

    static Map<Long, Integer> copies(AppHost host) {
        Map<Long, Integer> counts = new HashMap<>();
        host.database().database("sink").getCollection("copies").find()
                .forEach((Document d) -> counts.merge(d.getLong("src"), 1, Integer::sum));
        return counts;
    }

    static void insert(AppHost via, long from, long to) {
        MongoCollection<Document> items = via.database().database("shop").getCollection("items");
        LongStream.range(from, to).forEach(id -> items.insertOne(new Document("_id", id)));
    }

    static int runs(AppHost host) {
        return TriggerLogs.runs(host, "copier", LogType.DB_TRIGGER).size();
    }

    @Test
    void theSecondNodeReadsTheOwnersEventLogWithTheSameTokens() {
        AppHost owner = TriggerBundle.serveForOtherNodes(bundle(true).read(), temp.resolve("data"), TriggerBundle.quick());
        hosts.add(owner);
        AppHost remote = TriggerBundle.serveRemote(bundle(true).read(), owner.database().connectionString(),
                TriggerBundle.secretsOf(temp.resolve("data")), TriggerBundle.quick());
        hosts.add(remote);
        assertThat(remote.database().kind()).isEqualTo(Database.Kind.EXTERNAL);
        List<dev.thimble.runtime.changes.ChangeEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var subscription = remote.database().changeEvents().subscribe(
                dev.thimble.runtime.changes.ChangeFilter.collection("shop", "items"), seen::add)) {
            owner.database().database("shop").getCollection("items").insertOne(new Document("_id", 1L).append("v", 1));
            owner.database().database("shop").getCollection("items").updateOne(Filters.eq("_id", 1L), new Document("$set", new Document("v", 2)));
            Eventually.await("both events on the second node", () -> seen.size() == 2);
            assertThat(subscription.isOpen()).isTrue();
        }
        assertThat(seen.get(1).updateDescription().updatedFields().getInt32("v").getValue()).isEqualTo(2);
        assertThat(seen.get(1).fullDocumentBeforeChange().getInt32("v").getValue()).isEqualTo(1);
        assertThat(seen.get(1).id()).isEqualTo(owner.database().changeEvents().currentPosition());
    }

    @Test
    void eachEventIsHandledOnceAndTheSurvivorTakesOverWhenTheHolderCloses() {
        AppHost owner = TriggerBundle.serveForOtherNodes(bundle(true).read(), temp.resolve("data"), TriggerBundle.quick());
        hosts.add(owner);
        AppHost remote = TriggerBundle.serveRemote(bundle(false).read(), owner.database().connectionString(),
                TriggerBundle.secretsOf(temp.resolve("data")), TriggerBundle.quick());
        hosts.add(remote);
        owner.reload(bundle(false).read()); // both nodes run the trigger now; the remote one holds the lease
        Eventually.await("the remote node to hold the lease", () -> remote.triggers().runningHere().contains("copier"));
        DatabaseTriggersTest.sleepQuietly(700); // two renew rounds: the owner must not take it
        assertThat(owner.triggers().runningHere()).doesNotContain("copier");

        insert(owner, 0, 50);
        insert(remote, 50, 100);
        Eventually.await("100 copies", Duration.ofSeconds(30), () -> copies(owner).size() == 100);
        Eventually.await("the last run's log record", () -> runs(remote) == 100); // appended after the function returns
        assertThat(runs(owner)).isZero();

        remote.close();
        hosts.remove(remote);
        insert(owner, 100, 150);
        Eventually.await("150 copies", Duration.ofSeconds(30), () -> copies(owner).size() == 150);
        Eventually.await("the survivor's log records", () -> runs(owner) == 50);
        DatabaseTriggersTest.sleepQuietly(300);
        assertThat(copies(owner).values()).as("each event handled exactly once").containsOnly(1);
        assertThat(runs(owner)).isEqualTo(50);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theSurvivorTakesOverFromAKilledHolderWithoutLosingEvents() throws Exception {
        AppHost owner = TriggerBundle.serveForOtherNodes(bundle(true).read(), temp.resolve("data"), TriggerBundle.quick());
        hosts.add(owner);
        bundle(false);
        String java = ProcessHandle.current().info().command().orElseThrow();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                RemoteNodeHost.class.getName(), temp.resolve("app").toString(), owner.database().connectionString(),
                TriggerBundle.secretsOf(temp.resolve("data")).toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("HOLDING")) {
            // the child's log
        }
        assertThat(line).isEqualTo("HOLDING");
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its output
        owner.reload(bundle(false).read());

        insert(owner, 0, 100);
        Eventually.await("the killed node's copies", Duration.ofSeconds(30), () -> copies(owner).size() >= 40);
        assertThat(runs(owner)).as("nothing runs here while the child holds the lease").isZero();
        child.destroyForcibly(); // SIGKILL while it works through the burst
        child.waitFor(10, TimeUnit.SECONDS);
        long handledByChild = copies(owner).size();
        insert(owner, 100, 200);
        Eventually.await("all 200 copies", Duration.ofSeconds(60), () -> copies(owner).size() == 200);
        DatabaseTriggersTest.sleepQuietly(300);
        Map<Long, Integer> copies = copies(owner);
        long duplicates = copies.values().stream().mapToLong(n -> n - 1).sum();
        System.out.printf("two nodes, holder killed: %d handled by it, %d by the survivor, %d duplicate runs%n",
                handledByChild, runs(owner), duplicates);
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 200).boxed().toList());
        assertThat(duplicates).as("at most the event in flight at the kill").isLessThanOrEqualTo(1);
    }

    @Test
    void aSessionIssuedByOneNodeWorksOnTheOther() {
        AppHost owner = TriggerBundle.serveForOtherNodes(bundle(true).read(), temp.resolve("data"), TriggerBundle.quick());
        hosts.add(owner);
        AppHost remote = TriggerBundle.serveRemote(bundle(true).read(), owner.database().connectionString(),
                TriggerBundle.secretsOf(temp.resolve("data")), TriggerBundle.quick());
        hosts.add(remote);
        AuthService.LoginResult login = owner.auth().login("anon-user", new Document(), "127.0.0.1", null);
        assertThat(remote.auth().authenticate(login.accessToken()).user().id()).isEqualTo(login.userId());
        String access = remote.auth().refresh(login.refreshToken());
        assertThat(owner.auth().authenticate(access).user().id()).isEqualTo(login.userId());
    }
}
