package dev.thimble.runtime.triggers;

import dev.thimble.testing.Eventually;
import com.mongodb.client.model.Filters;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication triggers: CREATE, LOGIN and DELETE per provider, with the spec's event shape, after the event. */
class AuthTriggersTest {
    @TempDir
    Path temp;
    final List<AppHost> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(AppHost::close);
    }

    static String authTrigger(String name, String field, String kind, String providers) {
        return "{\"name\": \"" + name + "\", \"type\": \"AUTHENTICATION\", \"function_name\": \"rec\","
                + " \"config\": {\"" + field + "\": \"" + kind + "\", \"providers\": " + providers + "}}";
    }

    static List<BsonDocument> events(AppHost host, String trigger) {
        return TriggerLogs.runs(host, trigger, LogType.AUTH_TRIGGER).stream().map(r -> r.arguments().get(0).asDocument()).toList();
    }

    @Test
    void createLoginAndDeleteFireTheTriggersOfTheirProviders() {
        AppHost host = TriggerBundle.serve(TriggerBundle.in(temp.resolve("app"))
                .recorder("rec", "auth")
                .trigger("created", authTrigger("created", "action_type", "CREATE", "[\"local-userpass\"]"))
                .trigger("loggedIn", authTrigger("loggedIn", "operation_type", "LOGIN", "[\"anon-user\", \"local-userpass\"]"))
                .trigger("deleted", authTrigger("deleted", "action_type", "DELETE", "[\"anon-user\"]"))
                .read(), temp.resolve("data"), TriggerBundle.quick());
        hosts.add(host);
        AuthService auth = host.auth();
        auth.register("local-userpass", new Document("email", "ada@example.com").append("password", "correct horse"));
        AuthService.LoginResult ada = auth.login("local-userpass",
                new Document("username", "ada@example.com").append("password", "correct horse"), "127.0.0.1", null);
        AuthService.LoginResult anon = auth.login("anon-user", new Document(), "127.0.0.1", null);
        auth.login("local-userpass", new Document("username", "ada@example.com").append("password", "correct horse"), "127.0.0.1", null);
        auth.deleteUser(anon.userId());
        auth.deleteUser(ada.userId()); // not an anon-user: "deleted" does not fire

        Eventually.await("the trigger runs", Duration.ofSeconds(20), () -> events(host, "created").size() == 1
                && events(host, "loggedIn").size() == 3 && events(host, "deleted").size() == 1);
        DatabaseTriggersTest.sleepQuietly(300);
        assertThat(events(host, "deleted")).hasSize(1);

        BsonDocument created = events(host, "created").getFirst();
        assertThat(created.keySet()).containsExactly("operationType", "providers", "user", "time");
        assertThat(created.getString("operationType").getValue()).isEqualTo("CREATE");
        assertThat(created.getArray("providers")).isEqualTo(new BsonArray(List.of(new BsonString("local-userpass"))));
        assertThat(created.get("time").isDateTime()).isTrue();
        BsonDocument user = created.getDocument("user");
        assertThat(user.getString("id").getValue()).isEqualTo(ada.userId());
        assertThat(user.getDocument("data").getString("email").getValue()).isEqualTo("ada@example.com");
        assertThat(user.getArray("identities").get(0).asDocument().getString("provider_type").getValue()).isEqualTo("local-userpass");

        assertThat(events(host, "loggedIn")).extracting(e -> e.getDocument("user").getString("id").getValue())
                .containsExactlyInAnyOrder(ada.userId(), anon.userId(), ada.userId());
        BsonDocument deleted = events(host, "deleted").getFirst();
        assertThat(deleted.getString("operationType").getValue()).isEqualTo("DELETE");
        assertThat(deleted.getDocument("user").getString("id").getValue()).isEqualTo(anon.userId());
        assertThat(deleted.getArray("providers")).isEqualTo(new BsonArray(List.of(new BsonString("anon-user"))));
        Eventually.await("the recorder's writes", () -> host.database().database("sink").getCollection("auth").countDocuments() == 5);
    }

    @Test
    void theTodoExampleCreatesTheProfileOfANewUser() {
        AppHost host = AppHost.start(AppBundles.read(Path.of("../examples/todo")).app(),
                AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("todo")),
                        new SecretStore(temp.resolve("secrets.json"))), TriggerBundle.quick());
        hosts.add(host);
        host.auth().register("local-userpass", new Document("email", "grace@example.com").append("password", "hopper1906"));
        AuthService.LoginResult grace = host.auth().login("local-userpass",
                new Document("username", "grace@example.com").append("password", "hopper1906"), "127.0.0.1", null);
        Eventually.await("the profile", Duration.ofSeconds(20), () -> host.database().database("todo").getCollection("users")
                .countDocuments(Filters.eq("user_id", grace.userId())) == 1);
        Document profile = host.database().database("todo").getCollection("users").find(Filters.eq("user_id", grace.userId())).first();
        assertThat(profile.getString("email")).isEqualTo("grace@example.com");
        assertThat(profile.getString("display_name")).isEqualTo("grace");
        Eventually.await("the run's log record", () -> TriggerLogs.runs(host, "onUserCreated", LogType.AUTH_TRIGGER).size() == 1);
    }
}
