package dev.thimble.runtime.app;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Read → write → read gives the same model, and the same model always gives the same bytes. */
class RoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"stitch-full", "realm-v1", "unknown-fields"})
    void aStitchBundleReadsBackIntoAnEqualModel(String fixture, @TempDir Path dir) throws IOException {
        AppModel app = Fixtures.read(fixture).app();
        AppBundles.write(app, dir, WriteOptions.EXPORT);
        LoadResult back = AppBundles.read(dir);
        assertThat(back.layout()).isEqualTo(Layout.STITCH_2018);
        assertThat(back.app()).isEqualTo(app);
    }

    @ParameterizedTest
    @ValueSource(strings = {"realm-v2", "app-services"})
    void anImportedAppWrittenAsStitchReadsBackEqualToTheImport(String fixture, @TempDir Path dir) throws IOException {
        AppModel imported = Fixtures.read(fixture).app();
        AppBundles.write(imported, dir, WriteOptions.EXPORT);
        LoadResult back = AppBundles.read(dir);
        assertThat(back.layout()).isEqualTo(Layout.STITCH_2018);
        assertThat(back.problems()).isEmpty();
        assertThat(back.app()).isEqualTo(imported);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stitch-full", "realm-v2", "app-services"})
    void writingTheSameModelTwiceGivesByteIdenticalTrees(String fixture, @TempDir Path dir) throws IOException {
        AppModel app = Fixtures.read(fixture).app();
        AppBundles.write(app, dir.resolve("one"), WriteOptions.EXPORT);
        AppBundles.write(app, dir.resolve("two"), WriteOptions.EXPORT);
        assertThat(Fixtures.tree(dir.resolve("two"))).usingRecursiveComparison().isEqualTo(Fixtures.tree(dir.resolve("one")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stitch-full", "realm-v2"})
    void aWrittenBundleRewrittenFromItsOwnReadIsByteIdentical(String fixture, @TempDir Path dir) throws IOException {
        AppBundles.write(Fixtures.read(fixture).app(), dir.resolve("one"), WriteOptions.EXPORT);
        AppBundles.write(AppBundles.read(dir.resolve("one")).app(), dir.resolve("two"), WriteOptions.EXPORT);
        assertThat(Fixtures.tree(dir.resolve("two"))).usingRecursiveComparison().isEqualTo(Fixtures.tree(dir.resolve("one")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stitch-full", "realm-v2"})
    void writtenJsonUsesLfLineEndsAndEndsWithANewline(String fixture, @TempDir Path dir) throws IOException {
        AppModel app = Fixtures.read(fixture).app();
        AppBundles.write(app, dir, WriteOptions.EXPORT);
        var written = Fixtures.tree(dir);
        written.keySet().removeAll(app.otherFiles().keySet());
        assertThat(written).isNotEmpty();
        written.forEach((path, bytes) -> {
            if (path.endsWith(".json")) {
                assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).as(path).doesNotContain("\r").endsWith("\n");
            }
        });
    }
}
