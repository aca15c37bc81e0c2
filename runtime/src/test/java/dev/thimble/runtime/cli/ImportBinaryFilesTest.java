package dev.thimble.runtime.cli;

import dev.thimble.runtime.apps.AppCreation;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Binary files of an export (hosting images, fonts, archives) import byte for byte, from a zip as from a folder. */
class ImportBinaryFilesTest {
    private static final List<String> BINARY = List.of("hosting/files/images/logo.png", "hosting/files/fonts/body.woff2", "data/every-byte.bin");

    @TempDir
    Path temp;

    /** A copy of the todo app with three binary files: random bytes behind a PNG header, and every byte value 0..255. */
    private Path exportWithBinaries() throws IOException {
        Path app = TestApps.copyOfTodo(temp.resolve("export"));
        Random random = new Random(42);
        byte[] png = new byte[20_000];
        random.nextBytes(png);
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        byte[] font = new byte[3_000];
        random.nextBytes(font);
        font[0] = 0;
        byte[] every = new byte[512];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        write(app.resolve(BINARY.get(0)), png);
        write(app.resolve(BINARY.get(1)), font);
        write(app.resolve(BINARY.get(2)), every);
        return app;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** Zips {@code dir} under one top-level folder, as the vendor's export did. */
    private Path zip(Path dir, String topFolder) throws IOException {
        Path zip = temp.resolve(topFolder + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(topFolder + "/" + dir.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, (OutputStream) out);
                out.closeEntry();
            }
        }
        return zip;
    }

    private static void assertSameBytes(Path source, Path imported) throws IOException {
        for (String rel : BINARY) {
            assertThat(imported.resolve(rel)).as(rel).exists();
            assertThat(Files.readAllBytes(imported.resolve(rel))).as(rel).isEqualTo(Files.readAllBytes(source.resolve(rel)));
        }
    }

    @Test
    void thimbleImportOfAZipKeepsItsBinaryFilesByteForByte() throws IOException {
        Path export = exportWithBinaries();
        Path zip = zip(export, "todo-export");
        Path out = temp.resolve("imported");

        CliRun run = CliRun.of("import", zip.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Copied 3 binary file(s) as they are");
        assertSameBytes(export, out);
    }

    @Test
    void thimbleImportOfAFolderKeepsItsBinaryFilesByteForByte() throws IOException {
        Path export = exportWithBinaries();
        Path out = temp.resolve("imported");

        CliRun run = CliRun.of("import", export.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertSameBytes(export, out);
    }

    @Test
    void theServiceLayerImportKeepsBinaryFilesFromAZipAndAFolder() throws IOException {
        Path export = exportWithBinaries();
        SecretStore store = new SecretStore(temp.resolve("secrets.json"));

        AppCreation.importApp(zip(export, "todo-export"), temp.resolve("from-zip"), id -> store);
        AppCreation.importApp(export, temp.resolve("from-folder"), id -> store);

        assertSameBytes(export, temp.resolve("from-zip"));
        assertSameBytes(export, temp.resolve("from-folder"));
    }
}
