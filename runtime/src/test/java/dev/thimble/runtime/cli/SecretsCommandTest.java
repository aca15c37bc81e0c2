package dev.thimble.runtime.cli;

import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsCommandTest {
    @TempDir
    Path temp;

    @BeforeEach
    void emptyStore() {
        SecretStore store = SecretStore.forApp("todo-thmbl");
        store.names().forEach(store::delete);
    }

    @Test
    void setListDeleteAndValuesNeverPrinted() {
        assertThat(CliRun.of("secrets", "set", "../examples/todo", "inboxWebhookSecret", "hunter22").exitCode()).isZero();
        assertThat(SecretStore.forApp("todo-thmbl").get("inboxWebhookSecret")).isEqualTo(Optional.of("hunter22"));

        CliRun list = CliRun.of("secrets", "list", "../examples/todo");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("inboxWebhookSecret").contains("chatWebhookKey  (no value").doesNotContain("hunter22");

        assertThat(CliRun.of("secrets", "delete", "../examples/todo", "inboxWebhookSecret").exitCode()).isZero();
        assertThat(SecretStore.forApp("todo-thmbl").get("inboxWebhookSecret")).isEmpty();
        assertThat(CliRun.of("secrets", "delete", "../examples/todo", "inboxWebhookSecret").exitCode()).isEqualTo(1);
    }

    @Test
    void secretValuesNeverReachAnExport() throws IOException {
        CliRun.of("secrets", "set", "../examples/todo", "chatWebhookKey", "very-secret-value-42");
        try {
            assertThat(CliRun.of("export", "../examples/todo", "--out", temp.resolve("out").toString()).exitCode()).isZero();

            assertThat(ExportImportCommandTest.tree(temp.resolve("out")).values())
                    .noneMatch(content -> content.contains("very-secret-value-42"));
        } finally {
            SecretStore.forApp("todo-thmbl").delete("chatWebhookKey"); // the tests share one store per app id
        }
    }
}
