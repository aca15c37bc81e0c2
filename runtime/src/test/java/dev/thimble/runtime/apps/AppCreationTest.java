package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppCreationTest {
    @TempDir
    Path temp;

    @Test
    void anAppFromTheTemplateHasItsOwnNameAndClientAppIdAndTheTemplatesFunctions() throws Exception {
        Path target = AppCreation.fromTemplate(TestApps.TODO, temp.resolve("My Shop"));

        AppModel app = AppBundles.read(target).app();
        assertThat(app.name()).isEqualTo("my-shop");
        assertThat(app.clientAppId()).matches("my-shop-[a-z]{5}");
        assertThat(app.functions()).extracting(f -> f.name()).contains("addItem", "validateItemText");
        assertThat(AppSession.open(target, ServerControl.ServerSettings.defaults()).validate().problems())
                .noneMatch(Problem::isError);
    }

    @Test
    void anImportWritesTheBundleAndReportsItsProblems() throws Exception {
        AppCreation.Imported imported = AppCreation.importApp(TestApps.TODO, temp.resolve("imported"));

        assertThat(imported.name()).isEqualTo("todo");
        assertThat(Files.readString(imported.directory().resolve("functions/addItem/source.js")))
                .isEqualTo(Files.readString(TestApps.TODO.resolve("functions/addItem/source.js")));
        assertThat(imported.problems()).isNotNull();
    }

    @Test
    void anImportSaysWhatItImportedConvertedAndKeepsWithoutServing() throws Exception {
        List<String> steps = new java.util.ArrayList<>();
        AppCreation.Imported imported = AppCreation.importApp(java.nio.file.Path.of("src/test/resources/bundles/realm-v2"),
                temp.resolve("from-realm"), id -> new dev.thimble.runtime.values.SecretStore(temp.resolve("secrets-" + id + ".json")),
                new AppCreation.Progress() {
                    public void step(String what, double fraction) {
                        steps.add(what);
                    }

                    public boolean cancelled() {
                        return false;
                    }
                });

        assertThat(imported.summary().imported()).isNotEmpty().allMatch(line -> line.matches("\\d+ [a-zA-Z ]+"));
        assertThat(imported.summary().converted()).anyMatch(line -> line.contains("realm_config.json") && line.contains("stitch.json"));
        assertThat(steps).first().asString().startsWith("Reading");
        assertThat(steps).last().isEqualTo("Imported");
        assertThat(steps).anyMatch(s -> s.startsWith("Writing"));
    }

    @Test
    void aCancelledImportWritesNothing() {
        Path target = temp.resolve("cancelled");
        assertThatThrownBy(() -> AppCreation.importApp(TestApps.TODO, target, dev.thimble.runtime.values.SecretStore::forApp,
                new AppCreation.Progress() {
                    public void step(String what, double fraction) {
                    }

                    public boolean cancelled() {
                        return true;
                    }
                })).isInstanceOf(AppCreation.ImportCancelledException.class).hasMessageContaining("nothing was written");
        assertThat(Files.exists(target)).isFalse();
    }

    @Test
    void aTargetThatIsNotEmptyIsRefusedAndLeftAlone() throws Exception {
        Path target = Files.createDirectories(temp.resolve("busy"));
        Files.writeString(target.resolve("keep.txt"), "mine");

        assertThatThrownBy(() -> AppCreation.fromTemplate(TestApps.TODO, target)).hasMessageContaining("is not empty");
        assertThatThrownBy(() -> AppCreation.importApp(TestApps.TODO, target)).hasMessageContaining("is not empty");
        try (var files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("keep.txt");
        }
    }

    @Test
    void aSourceThatIsNotAnAppSaysWhatToChoose() {
        assertThatThrownBy(() -> AppCreation.importApp(temp.resolve("missing"), temp.resolve("out")))
                .hasMessageContaining("There is no exported app at");
    }

    @Test
    void aZipExportImportsLikeAFolder() throws Exception {
        Path zip = temp.resolve("todo.zip");
        dev.thimble.runtime.app.AppBundles.writeZip(AppBundles.read(TestApps.TODO).app(), zip, dev.thimble.runtime.app.WriteOptions.EXPORT);

        AppCreation.Imported imported = AppCreation.importApp(zip, temp.resolve("from-zip"));

        assertThat(AppBundles.read(imported.directory()).app().functions()).isEqualTo(AppBundles.read(TestApps.TODO).app().functions());
    }

    @Test
    void anExportAsATemplateDropsTheClientAppIdsSuffix() throws Exception {
        try (AppSession session = AppSession.open(TestApps.copyOfTodo(temp), ServerControl.ServerSettings.defaults())) {
            session.exportTemplate(temp.resolve("template"));
        }
        AppModel template = AppBundles.read(temp.resolve("template")).app();
        assertThat(template.clientAppId()).isEqualTo("todo");
        assertThat(template.functions()).isEqualTo(AppBundles.read(TestApps.TODO).app().functions());
    }
}
