package dev.thimble.runtime.values;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretStoreTest {
    @TempDir
    Path home;

    @Test
    void valuesPersistAcrossInstances() {
        new SecretStore(home.resolve("app/secrets.json")).set("apiKey", "s3cr3t");

        SecretStore reopened = new SecretStore(home.resolve("app/secrets.json"));

        assertThat(reopened.get("apiKey")).isEqualTo(Optional.of("s3cr3t"));
        assertThat(reopened.all()).isEqualTo(Map.of("apiKey", "s3cr3t"));
    }

    @Test
    void theFileIsReadableOnlyByItsOwner() throws Exception {
        SecretStore store = new SecretStore(home.resolve("app/secrets.json"));
        store.set("apiKey", "s3cr3t");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent()))).isEqualTo("rwx------");
    }

    @Test
    void deleteRemovesOnlyThatSecretAndReportsUnknownNames() {
        SecretStore store = new SecretStore(home.resolve("secrets.json"));
        store.set("a", "1");
        store.set("b", "2");

        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("nope")).isFalse();
        assertThat(store.names()).containsExactly("b");
    }

    @Test
    void aCorruptStoreFileGivesAnErrorThatNamesTheFile() throws Exception {
        Path file = home.resolve("secrets.json");
        Files.writeString(file, "{not json");

        assertThatThrownBy(() -> new SecretStore(file).names())
                .hasMessageContaining(file.toString())
                .hasMessageContaining("cannot be read");
    }

    @Test
    void appStoresLiveUnderThimbleHomeByClientAppId() {
        String previous = System.getProperty("thimble.home");
        System.setProperty("thimble.home", home.toString());
        try {
            assertThat(SecretStore.forApp("todo-abcde").file())
                    .isEqualTo(home.resolve("apps/todo-abcde/secrets.json"));
            assertThatThrownBy(() -> SecretStore.forApp("../escape")).isInstanceOf(IllegalArgumentException.class);
        } finally {
            if (previous == null) {
                System.clearProperty("thimble.home");
            } else {
                System.setProperty("thimble.home", previous);
            }
        }
    }

    @Test
    void namesAreSorted() {
        SecretStore store = new SecretStore(home.resolve("secrets.json"));
        store.set("zeta", "1");
        store.set("alpha", "2");
        assertThat(store.names()).containsExactlyElementsOf(Set.of("alpha", "zeta").stream().sorted().toList());
    }
}
