package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Exported zips: the bundle at the root or in one folder, zip slip refused, deterministic output. */
class ZipBundlesTest {

    @Test
    void aZipWithTheBundleInsideOneTopLevelFolderIsRead(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("export.zip");
        zipTree(Fixtures.bundle("realm-v2"), "WorkerPool_2024-01-01/", zip, Map.of());
        LoadResult result = AppBundles.readZip(zip);
        assertThat(result.layout()).isEqualTo(Layout.REALM_V2);
        assertThat(result.problems()).isEmpty();
        assertThat(result.app()).isEqualTo(Fixtures.read("realm-v2").app());
        assertThat(result.origin("function-source:utils/format", "")).isEqualTo("functions/utils/format.js");
    }

    @Test
    void writeZipPutsTheBundleAtTheZipRootAndReadsBackEqual(@TempDir Path dir) throws IOException {
        AppModel app = Fixtures.read("stitch-full").app();
        Path zip = dir.resolve("out/todo.zip");
        AppBundles.writeZip(app, zip, WriteOptions.EXPORT);
        LoadResult back = AppBundles.readZip(zip);
        assertThat(back.layout()).isEqualTo(Layout.STITCH_2018);
        assertThat(back.app()).isEqualTo(app);
    }

    @Test
    void writingTheSameModelToAZipTwiceGivesIdenticalBytes(@TempDir Path dir) throws IOException {
        AppModel app = Fixtures.read("realm-v2").app();
        AppBundles.writeZip(app, dir.resolve("a.zip"), WriteOptions.EXPORT);
        AppBundles.writeZip(app, dir.resolve("b.zip"), WriteOptions.EXPORT);
        assertThat(Files.readAllBytes(dir.resolve("b.zip"))).isEqualTo(Files.readAllBytes(dir.resolve("a.zip")));
    }

    @Test
    void zipSlipEntriesAreRejectedWithAProblemAndNeverWritten(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("evil.zip");
        zipTree(Fixtures.bundle("realm-v1"), "", zip, Map.of(
                "../../evil.txt", "escaped",
                "values/../../evil2.txt", "escaped too"));
        LoadResult result = AppBundles.readZip(zip);
        assertThat(Fixtures.where(result)).containsExactlyInAnyOrder(
                "ERROR ../../evil.txt []",
                "ERROR values/../../evil2.txt []");
        assertThat(result.problems().getFirst().reason()).contains("zip slip");
        assertThat(result.app()).isEqualTo(Fixtures.read("realm-v1").app());
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        assertThat(tmp.getParent() == null ? tmp : tmp.getParent().resolve("evil.txt")).doesNotExist();
    }

    @Test
    void aZipWithoutABundleIsAnErrorNamingTheZip(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("random.zip");
        zipTree(Fixtures.bundle("realm-v1").resolve("functions"), "", zip, Map.of());
        LoadResult result = AppBundles.readZip(zip);
        assertThat(result.app()).isNull();
        assertThat(result.problems()).singleElement().satisfies(p ->
                assertThat(p.reason()).contains(zip.toString()).contains("stitch.json").contains("single top-level folder"));
    }

    @Test
    void aFileThatIsNotAZipIsAnError(@TempDir Path dir) {
        Path notZip = dir.resolve("x.zip");
        Fixtures.write(notZip, "plain text");
        LoadResult result = AppBundles.readZip(notZip);
        assertThat(result.app()).isNull();
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("zip"));
    }

    /** Zips every file of {@code root} under {@code prefix}, plus {@code extra} entries (name → text). */
    private static void zipTree(Path root, String prefix, Path zip, Map<String, String> extra) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (var entry : Fixtures.tree(root).entrySet()) {
                out.putNextEntry(new ZipEntry(prefix + entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
            for (var entry : extra.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
