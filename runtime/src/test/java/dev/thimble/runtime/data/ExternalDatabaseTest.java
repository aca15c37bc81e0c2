package dev.thimble.runtime.data;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalDatabaseTest {

    @TempDir
    Path temp;

    @Test
    void anUnreachableServerFailsQuicklyWithAClearMessage() throws IOException {
        int port = unusedPort();
        long started = System.nanoTime();
        assertThatThrownBy(() -> Database.open(DatabaseSettings.external("mongodb://127.0.0.1:" + port, Duration.ofMillis(1500))))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessage("Cannot reach MongoDB at 127.0.0.1:" + port + ": Connection refused."
                        + " Check the connection string or start the server.");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void connectsByConnectionStringToARealWireProtocolServer() {
        try (Database embedded = Database.open(DatabaseSettings.embedded(temp));
             Database external = Database.open(DatabaseSettings.external(embedded.connectionString()))) {
            external.database("app").getCollection("c").insertOne(new Document("_id", 1));

            assertThat(external.kind()).isEqualTo(Database.Kind.EXTERNAL);
            assertThat(external.describe()).isEqualTo("MongoDB at " + embedded.connectionString());
            assertThat(external.connectionString()).isEqualTo(embedded.connectionString());
            assertThat(external.warnings()).isEmpty();
            assertThat(embedded.database("app").getCollection("c").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void describeNeverShowsThePassword() throws IOException {
        String uri = "mongodb://ada:s3cret@127.0.0.1:" + unusedPort() + "/app?authSource=admin";
        DatabaseSettings.External settings = DatabaseSettings.external(uri, Duration.ofMillis(300));
        assertThat(settings.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> Database.open(settings)).satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void redactionMasksPasswordsAndSecretOptionsOnly() {
        assertThat(ConnectionStrings.redact("mongodb+srv://ada:p%40ss@cluster0.example.net/app?retryWrites=true"))
                .isEqualTo("mongodb+srv://ada:****@cluster0.example.net/app?retryWrites=true");
        assertThat(ConnectionStrings.redact("mongodb://ada@h1:27017,h2:27018/?authMechanism=MONGODB-AWS"
                + "&authMechanismProperties=AWS_SESSION_TOKEN:abc"))
                .isEqualTo("mongodb://ada@h1:27017,h2:27018/?authMechanism=MONGODB-AWS&authMechanismProperties=****");
        assertThat(ConnectionStrings.redact("mongodb://localhost:27017")).isEqualTo("mongodb://localhost:27017");
    }

    @Test
    void anInvalidConnectionStringFailsWithAClearMessage() {
        assertThatThrownBy(() -> Database.open(DatabaseSettings.external("http://ada:s3cret@example.net")))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageStartingWith("Invalid MongoDB connection string http://ada:****@example.net: ")
                .hasMessageEndingWith("It should look like mongodb://user:password@host:27017/db"
                        + " or mongodb+srv://user:password@cluster.example.net/db.");
    }

    @Test
    void theServerSelectionTimeoutComesFromTheConnectionStringUnlessGiven() {
        assertThat(DatabaseSettings.external("mongodb://h/?serverSelectionTimeoutMS=1234").serverSelectionTimeout())
                .isEqualTo(Duration.ofMillis(1234));
        assertThat(DatabaseSettings.external("mongodb://h/").serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
