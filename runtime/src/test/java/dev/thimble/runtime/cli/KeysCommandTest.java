package dev.thimble.runtime.cli;

import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysCommandTest {
    @TempDir
    Path temp;

    @Test
    void aCreatedServerKeyLogsInAsAServerUserUntilItIsDeleted() {
        String data = temp.resolve("db").toString();
        CliRun created = CliRun.of("keys", "create", "../examples/todo", "--name", "backend", "--data", data);
        assertThat(created.exitCode()).as(created.err()).isZero();
        String key = created.out().lines().filter(l -> l.matches("[0-9a-f]{64}")).findFirst().orElseThrow();

        CliRun listed = CliRun.of("keys", "list", "../examples/todo", "--data", data);
        assertThat(listed.out()).contains("backend").doesNotContain(key);

        try (AppHost host = AppHost.start(AppBundles.read(Path.of("../examples/todo")).app(),
                AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("s.json"))))) {
            var login = host.auth().login("api-key", new Document("key", key), "127.0.0.1", null);
            assertThat(host.auth().authenticate(login.accessToken()).user().type()).isEqualTo("server");
        }

        assertThat(CliRun.of("keys", "delete", "../examples/todo", "backend", "--data", data).exitCode()).isZero();
        try (AppHost host = AppHost.start(AppBundles.read(Path.of("../examples/todo")).app(),
                AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")), new SecretStore(temp.resolve("s.json"))))) {
            assertThatThrownBy(() -> host.auth().login("api-key", new Document("key", key), "127.0.0.1", null))
                    .isInstanceOf(Failure.class).hasMessageContaining("invalid API key");
        }
    }

    @Test
    void deletingAnUnknownKeySaysHowToListThem() {
        CliRun run = CliRun.of("keys", "delete", "../examples/todo", "nope", "--data", temp.resolve("db").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("There is no server API key named or with id \"nope\"").contains("thimble keys list");
    }
}
