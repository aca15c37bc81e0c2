package dev.thimble.runtime.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admins of a home, on disk, without a server. */
class AdminIdentitiesTest {
    @TempDir
    Path state;

    @Test
    void anAdminLogsInWithItsPasswordOnlyAndTheFileHoldsNoPassword() throws Exception {
        AdminIdentities ids = new AdminIdentities(state);
        AdminIdentities.Admin made = ids.createUser("Root@Example.com", "correct horse battery");

        assertThat(ids.checkPassword("root@example.com", "correct horse battery")).contains(made);
        assertThat(ids.checkPassword("root@example.com", "wrong horse battery")).isEmpty();
        assertThat(ids.checkPassword("nobody@example.com", "correct horse battery")).isEmpty();
        assertThat(Files.readString(state.resolve("admin/identities.json"))).doesNotContain("correct horse battery");
    }

    @Test
    void keysAreShownOnceStoredHashedAndStopWorkingWhenDeleted() throws Exception {
        AdminIdentities ids = new AdminIdentities(state);
        AdminIdentities.CreatedKey apiKey = ids.createApiKey("ci");
        AdminIdentities.CreatedKey pair = ids.createCloudKey("realm-cli");

        assertThat(ids.checkApiKey(apiKey.secret())).contains(apiKey.key());
        assertThat(ids.checkCloudKey(pair.publicKey(), pair.secret())).contains(pair.key());
        assertThat(ids.checkCloudKey(pair.publicKey(), apiKey.secret())).isEmpty();
        String file = Files.readString(state.resolve("admin/identities.json"));
        assertThat(file).doesNotContain(apiKey.secret()).doesNotContain(pair.secret()).contains(pair.publicKey());

        assertThat(ids.delete(pair.key().id())).isTrue();
        assertThat(ids.checkCloudKey(pair.publicKey(), pair.secret())).isEmpty();
        assertThat(ids.find(pair.key().id())).isEmpty();
        assertThat(ids.find(apiKey.key().id())).isPresent();
    }

    @Test
    void aHomeHasOneGroupKeptAcrossRestartsAndBadInputIsRefusedWithAReason() {
        String group = new AdminIdentities(state).groupId();
        assertThat(new AdminIdentities(state).groupId()).isEqualTo(group).matches("[0-9a-f]{24}");

        AdminIdentities ids = new AdminIdentities(state);
        assertThatThrownBy(() -> ids.createUser("not-an-email", "long enough")).hasMessageContaining("not an email address");
        assertThatThrownBy(() -> ids.createUser("a@example.com", "short")).hasMessageContaining("8 to 128 characters");
        ids.createUser("a@example.com", "long enough");
        assertThatThrownBy(() -> ids.createUser("A@example.com", "long enough")).hasMessageContaining("already");
        assertThatThrownBy(() -> ids.createApiKey(" ")).hasMessageContaining("key name");
    }
}
