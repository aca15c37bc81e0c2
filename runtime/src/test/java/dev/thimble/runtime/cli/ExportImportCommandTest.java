package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.AppBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ExportImportCommandTest {
    @TempDir
    Path temp;

    @Test
    void twoExportsOfTheSameAppAreByteIdentical() throws IOException {
        assertThat(CliRun.of("export", ValidateCommandTest.TODO.toString(), "--out", temp.resolve("a").toString()).exitCode()).isZero();
        assertThat(CliRun.of("export", ValidateCommandTest.TODO.toString(), "--out", temp.resolve("b").toString()).exitCode()).isZero();

        Map<String, String> a = tree(temp.resolve("a"));
        assertThat(a).containsKey("stitch.json").containsKey("functions/addItem/source.js");
        assertThat(a).isEqualTo(tree(temp.resolve("b")));
    }

    @Test
    void anExportedZipImportsBackToTheSameApp() {
        Path zip = temp.resolve("todo.zip");
        assertThat(CliRun.of("export", ValidateCommandTest.TODO.toString(), "--out", zip.toString()).exitCode()).isZero();

        CliRun run = CliRun.of("import", zip.toString(), "--out", temp.resolve("imported").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(AppBundles.read(temp.resolve("imported")).app())
                .isEqualTo(AppBundles.read(ValidateCommandTest.TODO).app());
    }

    @Test
    void importRefusesToOverwriteAFolderThatIsNotEmpty() throws IOException {
        Path target = Files.createDirectories(temp.resolve("taken"));
        Files.writeString(target.resolve("notes.txt"), "mine");

        CliRun run = CliRun.of("import", ValidateCommandTest.TODO.toString(), "--out", target.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("already exists and is not empty");
        assertThat(Files.readString(target.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aTemplateExportLeavesOutTheClientAppIdSuffixAndClusterName() throws IOException {
        CliRun run = CliRun.of("export", ValidateCommandTest.TODO.toString(), "--template", "--out", temp.resolve("t").toString());

        assertThat(run.exitCode()).isZero();
        Map<String, String> files = tree(temp.resolve("t"));
        assertThat(files.get("stitch.json")).doesNotContain("todo-thmbl");
        assertThat(files.get("services/mongodb-atlas/config.json")).doesNotContain("Cluster0");
    }

    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return files;
    }
}
