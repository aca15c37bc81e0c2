package dev.thimble.runtime.data;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedDatabaseTest {

    @TempDir
    Path temp;

    @Test
    void opensOnASocketInItsOwnerOnlyDataDirectoryWithoutATcpPort() throws IOException {
        Path dataDirectory = temp.resolve("apps/demo/data");
        try (Database database = Database.open(DatabaseSettings.embedded(dataDirectory))) {
            assertThat(database.kind()).isEqualTo(Database.Kind.EMBEDDED);
            Path socket = dataDirectory.toAbsolutePath().resolve("db.sock");
            assertThat(database.connectionString())
                    .isEqualTo("mongodb://" + java.net.URLEncoder.encode(socket.toString(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(database.describe()).isEqualTo("embedded MongoDB-compatible server (H2) at "
                    + database.connectionString() + ", data in " + dataDirectory.toAbsolutePath());
            assertThat(dataDirectory.resolve("db.mv")).isRegularFile();
            assertThat(Files.getPosixFilePermissions(dataDirectory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(dataDirectory.resolve("db.mv"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(database.warnings()).isEmpty();
        }
    }

    @Test
    void noTcpPortOfThisProcessSpeaksTheWireProtocolUnlessAsked() throws IOException {
        Set<Integer> before = listeningTcpPortsOfThisProcess();
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            database.database("app").getCollection("c").insertOne(new Document("_id", 1));
            Set<Integer> opened = new java.util.HashSet<>(listeningTcpPortsOfThisProcess());
            opened.removeAll(before);
            assertThat(opened).as("TCP ports the embedded database opened").isEmpty();
        }
    }

    @Test
    void droppingACollectionThatIsNotThereAnswersOkAsMongoDbDoesAndDropsNothingElse() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            var app = database.database("app");
            app.getCollection("kept").insertOne(new Document("_id", 1));

            Document answer = app.runCommand(new Document("drop", "never-made"));
            app.getCollection("never-made").drop(); // the driver's own drop, twice over

            assertThat(answer.get("ok")).isEqualTo(1.0);
            assertThat(app.listCollectionNames().into(new ArrayList<>())).containsExactly("kept");
            assertThat(app.getCollection("kept").countDocuments()).isEqualTo(1);
            app.getCollection("kept").drop(); // a collection that is there is still dropped
            assertThat(app.listCollectionNames().into(new ArrayList<>())).isEmpty();
        }
    }

    @Test
    void anExistingDataDirectoryIsMadeOwnerOnly() throws IOException {
        Files.createDirectories(temp.resolve("open"));
        Files.setPosixFilePermissions(temp.resolve("open"), PosixFilePermissions.fromString("rwxrwxrwx"));
        try (Database database = Database.open(DatabaseSettings.embedded(temp.resolve("open")))) {
            assertThat(Files.getPosixFilePermissions(temp.resolve("open"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aDataDirectoryWithCapitalLettersStillGetsASocket() {
        // The driver keeps socket addresses in lower case (found when /tmp/tmp.U5qdRRJKqn failed to start).
        Path mixedCase = temp.resolve("Users").resolve("Mia").resolve("Shop");
        try (Database database = Database.open(DatabaseSettings.embedded(mixedCase))) {
            database.client().getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            assertThat(database.client().getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void aDataDirectoryWithALongPathStillGetsASocket() {
        Path deep = temp.resolve("a".repeat(60)).resolve("b".repeat(60));
        try (Database database = Database.open(DatabaseSettings.embedded(deep));
             MongoClient other = MongoClients.create(database.connectionString())) {
            other.getDatabase("app").getCollection("c").insertOne(new Document("_id", 7));
            assertThat(database.database("app").getCollection("c").countDocuments()).isEqualTo(1);
        }
    }

    /** TCP ports in LISTEN state whose socket belongs to this process (from /proc, Linux). */
    private static Set<Integer> listeningTcpPortsOfThisProcess() throws IOException {
        Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException ignored) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new java.util.TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path); // read once: the table changes as other processes open sockets
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }


    @Test
    void dataWrittenIsReadBackAfterCloseAndReopenInTheSameJvm() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            database.database("app").getCollection("notes").insertOne(new Document("_id", "n1").append("text", "hello"));
        }
        try (Database reopened = Database.open(DatabaseSettings.embedded(temp))) {
            assertThat(reopened.database("app").getCollection("notes").find().into(new ArrayList<>()))
                    .containsExactly(new Document("_id", "n1").append("text", "hello"));
        }
    }

    @Test
    void uniqueIndexesSurviveAReopen() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> users = database.database("app").getCollection("users");
            users.createIndex(new Document("email", 1), new com.mongodb.client.model.IndexOptions().unique(true));
            users.insertOne(new Document("email", "a@example.com"));
        }
        try (Database reopened = Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> users = reopened.database("app").getCollection("users");
            assertThatThrownBy(() -> users.insertOne(new Document("email", "a@example.com")))
                    .hasMessageContaining("E11000");
        }
    }

    @Test
    void aSecondOpenOfADirectoryInUseFailsWithAClearError() {
        try (Database first = Database.open(DatabaseSettings.embedded(temp))) {
            assertThatThrownBy(() -> Database.open(DatabaseSettings.embedded(temp)))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageStartingWith("The data file " + temp.toAbsolutePath().resolve("db.mv") + " is in use by another process")
                    .hasMessageContaining("choose another data directory");
            assertThat(first.database("app").getCollection("c").countDocuments()).isZero();
        }
    }

    @Test
    void aTcpPortIsOpenedWhenAskedAndThenOtherNodesReachTheSameData() throws IOException {
        int port = freePort();
        try (Database database = Database.open(DatabaseSettings.embeddedOnTcp(temp, port));
             MongoClient other = MongoClients.create("mongodb://127.0.0.1:" + port)) {
            assertThat(database.connectionString()).isEqualTo("mongodb://127.0.0.1:" + port);
            assertThat(listeningTcpPortsOfThisProcess()).contains(port);
            other.getDatabase("app").getCollection("c").insertOne(new Document("_id", 7));
            assertThat(database.database("app").getCollection("c").countDocuments(Filters.eq("_id", 7))).isEqualTo(1);
        }
    }

    @Test
    void aPortInUseFailsWithAClearErrorAndLeavesTheDirectoryUsable() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Database.open(DatabaseSettings.embeddedOnTcp(temp, port)))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageStartingWith("Cannot start the embedded database on 127.0.0.1:" + port)
                    .hasMessageEndingWith("Choose another port, or 0 for any free one.");
        }
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            assertThat(database.database("app").getCollection("c").countDocuments()).isZero();
        }
    }

    @Test
    void otherClientsReachTheSameServerThroughTheConnectionString() {
        try (Database database = Database.open(DatabaseSettings.embedded(temp));
             MongoClient other = MongoClients.create(database.connectionString())) {
            other.getDatabase("app").getCollection("c").insertOne(new Document("_id", 7));
            assertThat(database.database("app").getCollection("c").countDocuments(Filters.eq("_id", 7))).isEqualTo(1);
        }
    }

    @Test
    void concurrentWritesAreAllKeptAcrossAReopen() throws Exception {
        int threads = 8;
        int perThread = 50;
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            MongoCollection<Document> items = database.database("app").getCollection("items");
            MongoCollection<Document> counters = database.database("app").getCollection("counters");
            counters.insertOne(new Document("_id", "n").append("value", 0));
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> IntStream.range(0, perThread).forEach(i -> {
                        items.insertOne(new Document("_id", thread * 1000 + i));
                        counters.updateOne(Filters.eq("_id", "n"), Updates.inc("value", 1));
                    })));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
        }
        try (Database reopened = Database.open(DatabaseSettings.embedded(temp))) {
            assertThat(reopened.database("app").getCollection("items").countDocuments()).isEqualTo(threads * perThread);
            assertThat(reopened.database("app").getCollection("counters").find().first())
                    .isEqualTo(new Document("_id", "n").append("value", threads * perThread));
        }
    }

    @Test
    void closeIsIdempotentAndReleasesTheDataFile() throws IOException {
        Database database = Database.open(DatabaseSettings.embedded(temp));
        database.close();
        database.close();
        assertThat(Files.size(temp.resolve("db.mv"))).isPositive();
        try (Database reopened = Database.open(DatabaseSettings.embedded(temp))) {
            assertThat(reopened.kind()).isEqualTo(Database.Kind.EMBEDDED);
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedFailsWithAClearError() throws IOException {
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> Database.open(DatabaseSettings.embedded(file.resolve("data"))))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageStartingWith("Cannot create the data directory " + file.resolve("data"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
