package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code thimble serve} opens the database while the bundle is validated (decision 0023): a bundle that
 * fails validation must still be rejected with its errors, and leave no database behind.
 */
class ServeEarlyDatabaseTest {

    @Test
    void aBundleWithABrokenFunctionIsRejectedAndLeavesNoDataFolder(@TempDir Path tmp) throws IOException {
        Path bundle = copyOfTheExample(tmp.resolve("todo"));
        Files.writeString(bundle.resolve("functions/addItem/source.js"), "exports = function( {\n");
        Path data = tmp.resolve("fresh/data");

        CliRun run = CliRun.of("serve", bundle.toString(), "--port", "0", "--data", data.toString());

        assertThat(run.exitCode()).isEqualTo(Thimble.USER_ERROR);
        assertThat(run.err()).contains("addItem").contains("Fix them and try again");
        assertThat(tmp.resolve("fresh")).doesNotExist();
    }

    @Test
    void aRejectedBundleLeavesAnExistingDataFolderInPlace(@TempDir Path tmp) throws IOException {
        Path bundle = copyOfTheExample(tmp.resolve("todo"));
        Files.writeString(bundle.resolve("functions/addItem/source.js"), "exports = function( {\n");
        Path data = Files.createDirectories(tmp.resolve("kept/data"));
        Files.writeString(data.resolve("note.txt"), "mine");

        CliRun run = CliRun.of("serve", bundle.toString(), "--port", "0", "--data", data.toString());

        assertThat(run.exitCode()).isEqualTo(Thimble.USER_ERROR);
        assertThat(data.resolve("note.txt")).hasContent("mine");
    }

    private static Path copyOfTheExample(Path target) throws IOException {
        Path example = Path.of("../examples/todo");
        try (Stream<Path> paths = Files.walk(example)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path to = target.resolve(example.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }
}
