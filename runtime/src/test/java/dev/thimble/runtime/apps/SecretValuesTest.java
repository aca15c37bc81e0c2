package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secret values from the workbench: into the local store, never into the bundle, and the warning goes. */
class SecretValuesTest {
    private static final String NAME = "chatWebhookKey";
    @TempDir
    Path temp;

    @BeforeEach
    @AfterEach
    void forget() {
        SecretStore.forApp("todo-thmbl").delete(NAME); // other tests expect it to have no value
    }

    @Test
    void aSecretsValueGoesToTheLocalStoreNotTheBundleAndItsWarningGoes() throws Exception {
        Path app = TestApps.copyOfTodo(temp);
        try (AppSession session = AppSession.open(app, new ServerControl.ServerSettings("127.0.0.1", 0))) {
            assertThat(session.validate().problems()).anyMatch(p -> p.reason().contains(NAME));

            Validation after = session.setSecret(NAME, "very-secret-value-42");

            assertThat(after.secretsWithValues()).contains(NAME);
            assertThat(after.problems()).noneMatch(p -> p.file().equals("values/" + NAME + ".json") && p.reason().contains("no value"));
            assertThat(SecretStore.forApp("todo-thmbl").get(NAME)).hasValue("very-secret-value-42");
            try (Stream<Path> files = Files.walk(app)) {
                assertThat(files.filter(Files::isRegularFile).map(SecretValuesTest::read)).noneMatch(text -> text.contains("very-secret-value-42"));
            }
        }
    }

    @Test
    void anEmptyValueOrAnUndeclaredNameStoresNothing() {
        try (AppSession session = AppSession.open(TestApps.copyOfTodo(temp), new ServerControl.ServerSettings("127.0.0.1", 0))) {
            assertThatThrownBy(() -> session.setSecret(NAME, "")).hasMessageContaining("needs a value");
            assertThatThrownBy(() -> session.setSecret("nope", "x")).hasMessageContaining("declares no secret nope");
            assertThat(SecretStore.forApp("todo-thmbl").get(NAME)).isEmpty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
