package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Switching the served app between the embedded database and a connection string. */
class DatabaseSwitchTest {
    private final AppModel todo = AppBundles.read(TestApps.TODO).app();
    @TempDir
    Path temp;

    @Test
    void aReachableConnectionStringIsUsedAndBlankGoesBackToTheEmbeddedDatabase() throws Exception {
        try (Database other = Database.open(DatabaseSettings.embeddedOnTcp(temp.resolve("other"), 0));
             ServerControl server = new ServerControl(new ServerControl.ServerSettings("127.0.0.1", 0))) {
            assertThat(server.start(todo).database()).contains("embedded");

            ServerStatus switched = server.switchDatabase(todo, other.connectionString());
            assertThat(switched.running()).isTrue();
            assertThat(switched.error()).isEmpty();
            assertThat(switched.database()).doesNotContain("embedded").contains("127.0.0.1");
            assertThat(get(switched.clientApiUrl() + "/location")).isEqualTo(200);

            ServerStatus back = server.switchDatabase(todo, "  ");
            assertThat(back.database()).contains("embedded");
            assertThat(server.mongoUri()).isNull();
        }
    }

    @Test
    void anUnreachableDatabaseIsAClearErrorAndTheAppIsServedOnThePreviousOne() throws Exception {
        try (ServerControl server = new ServerControl(new ServerControl.ServerSettings("127.0.0.1", 0))) {
            server.start(todo);

            ServerStatus status = server.switchDatabase(todo, "mongodb://ada:s3cret@127.0.0.1:1/?serverSelectionTimeoutMS=500");
            assertThat(status.running()).isTrue();
            assertThat(status.database()).contains("embedded");
            assertThat(status.error()).startsWith("Could not switch to mongodb://ada:****@127.0.0.1:1/")
                    .contains("served on the previous database again").doesNotContain("s3cret");
            assertThat(get(status.clientApiUrl() + "/location")).isEqualTo(200);
        }
    }

    @Test
    void somethingThatIsNotAConnectionStringChangesNothing() {
        try (ServerControl server = new ServerControl(new ServerControl.ServerSettings("127.0.0.1", 0))) {
            ServerStatus before = server.start(todo);
            ServerStatus status = server.switchDatabase(todo, "localhost:27017");
            assertThat(status.error()).contains("must start with mongodb://");
            assertThat(status.baseUrl()).isEqualTo(before.baseUrl());
        }
    }

    private static int get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }
}
