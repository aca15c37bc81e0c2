package dev.thimble.runtime.cli;

import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code thimble serve} opens the database while the bundle is validated (decision 0023): a bundle that
 * fails validation must still be rejected with its errors, and leave no database behind.
 */
class ServeEarlyDatabaseTest {

    @Test
    void aBundleWithABrokenFunctionIsRejectedAndLeavesNoDataFolder(@TempDir Path tmp) throws IOException {
        Path bundle = TestApps.copy(TestApps.TODO, tmp.resolve("todo"));
        Files.writeString(bundle.resolve("functions/addItem/source.js"), "exports = function( {\n");
        Path data = tmp.resolve("fresh/data");

        CliRun run = CliRun.of("serve", bundle.toString(), "--port", "0", "--data", data.toString());

        assertThat(run.exitCode()).isEqualTo(Thimble.USER_ERROR);
        assertThat(run.err()).contains("addItem").contains("Fix them and try again");
        assertThat(tmp.resolve("fresh")).doesNotExist();
    }

    @Test
    void aRejectedBundleLeavesAnExistingDataFolderInPlace(@TempDir Path tmp) throws IOException {
        Path bundle = TestApps.copy(TestApps.TODO, tmp.resolve("todo"));
        Files.writeString(bundle.resolve("functions/addItem/source.js"), "exports = function( {\n");
        Path data = Files.createDirectories(tmp.resolve("kept/data"));
        Files.writeString(data.resolve("note.txt"), "mine");

        CliRun run = CliRun.of("serve", bundle.toString(), "--port", "0", "--data", data.toString());

        assertThat(run.exitCode()).isEqualTo(Thimble.USER_ERROR);
        assertThat(data.resolve("note.txt")).hasContent("mine");
    }
}
