package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.app.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceTest {
    @TempDir
    Path temp;

    @Test
    void savingAFunctionWritesOnlyItsSourceAndLeavesEveryOtherFileByteForByte() throws IOException {
        Path dir = TestApps.copyOfTodo(temp);
        Map<String, byte[]> before = snapshot(dir);
        Workspace workspace = Workspace.open(dir);

        Workspace.Saved saved = workspace.save(app -> ModelEdits.withFunction(app,
                new FunctionDef(app.function("itemsDueSoon").orElseThrow().config(), "exports = function() { return 42; };\n")));

        assertThat(saved.changed()).containsExactly("functions/itemsDueSoon/source.js");
        Map<String, byte[]> after = snapshot(dir);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((file, bytes) -> {
            if (!file.equals("functions/itemsDueSoon/source.js")) {
                assertThat(after.get(file)).as(file).isEqualTo(bytes);
            }
        });
        assertThat(TestApps.read(dir.resolve("functions/itemsDueSoon/source.js"))).isEqualTo("exports = function() { return 42; };\n");
        assertThat(workspace.model().function("itemsDueSoon").orElseThrow().source()).isEqualTo("exports = function() { return 42; };\n");
        assertThat(AppBundles.read(dir).app()).isEqualTo(workspace.model());
    }

    @Test
    void anEditThatChangesNothingWritesNothing() throws IOException {
        Workspace workspace = Workspace.open(TestApps.copyOfTodo(temp));
        assertThat(workspace.save(app -> app).changed()).isEmpty();
    }

    @Test
    void removingAValueDeletesItsFile() throws IOException {
        Path dir = TestApps.copyOfTodo(temp);
        Workspace workspace = Workspace.open(dir);
        workspace.save(app -> ModelEdits.withValues(app, app.values().stream().filter(v -> !v.name().equals("appTitle")).toList()));
        assertThat(dir.resolve("values/appTitle.json")).doesNotExist();
        assertThat(dir.resolve("values/maxItemLength.json")).exists();
    }

    @Test
    void aBundleInAnotherLayoutIsNotSavedOver() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("realm"));
        Files.writeString(dir.resolve("realm_config.json"), "{\"app_id\": \"shop-abcde\", \"config_version\": 20210101, \"name\": \"shop\"}");
        Workspace workspace = Workspace.open(dir);

        assertThat(workspace.refusalReason()).contains("layout").contains("Export");
        assertThatThrownBy(() -> workspace.save(app -> ModelEdits.withValues(app, java.util.List.of())))
                .isInstanceOf(EditRefusedException.class);
        assertThat(dir.resolve("stitch.json")).doesNotExist();
    }

    @Test
    void aBundleReadWithErrorsIsNotSavedOverBecauseTheBrokenFileWouldBeLost() throws IOException {
        Path dir = TestApps.copyOfTodo(temp);
        Files.writeString(dir.resolve("triggers/onNewItem.json"), "{ not json");
        Workspace workspace = Workspace.open(dir);

        assertThatThrownBy(() -> workspace.save(app -> ModelEdits.withValues(app, java.util.List.of())))
                .isInstanceOf(EditRefusedException.class)
                .hasMessageContaining("triggers/onNewItem.json");
        assertThat(TestApps.read(dir.resolve("triggers/onNewItem.json"))).isEqualTo("{ not json");
        assertThat(dir.resolve("values/appTitle.json")).exists();
    }

    @Test
    void aFolderWithoutABundleDoesNotOpenAndSaysWhy() {
        assertThatThrownBy(() -> Workspace.open(temp))
                .isInstanceOf(EditRefusedException.class)
                .hasMessageContaining("stitch.json");
    }

    @Test
    void problemFilesMapToTheItemWhoseEditorShowsThem() {
        Workspace workspace = Workspace.open(TestApps.copyOfTodo(temp));
        assertThat(workspace.itemForFile("functions/addItem/source.js")).contains(new EditableItem.Function("addItem"));
        assertThat(workspace.itemForFile("functions/addItem/config.json")).contains(new EditableItem.Function("addItem"));
        assertThat(workspace.itemForFile("services/mongodb-atlas/rules/todo.items.json"))
                .contains(new EditableItem.CollectionRule("mongodb-atlas", "todo.items"));
        assertThat(workspace.itemForFile("values/chatWebhookKey.json")).contains(new EditableItem.Values());
        assertThat(workspace.itemForFile("triggers/onNewItem.json")).contains(new EditableItem.Trigger("onNewItem"));
        assertThat(workspace.itemForFile("stitch.json")).contains(new EditableItem.AppSettings());
        assertThat(workspace.itemForFile("hosting/files/logo.png")).isEqualTo(Optional.empty());
    }

    @Test
    void validationReportsTheSecretsThatHaveNoLocalValue() {
        Workspace workspace = Workspace.open(TestApps.copyOfTodo(temp));
        assertThat(workspace.validate()).filteredOn(p -> !p.isError()).extracting(Problem::reason)
                .anyMatch(reason -> reason.contains("inboxWebhookSecret"));
    }

    @Test
    void exportWritesABundleThatReadsBackEqual() throws IOException {
        Workspace workspace = Workspace.open(TestApps.copyOfTodo(temp));
        workspace.export(temp.resolve("out"), dev.thimble.runtime.app.WriteOptions.EXPORT);
        workspace.export(temp.resolve("out.zip"), dev.thimble.runtime.app.WriteOptions.EXPORT);
        assertThat(AppBundles.read(temp.resolve("out")).app()).isEqualTo(workspace.model());
        assertThat(AppBundles.readZip(temp.resolve("out.zip")).app()).isEqualTo(workspace.model());
    }

    @Test
    void exportNeverWritesIntoAFolderThatHoldsSomething() throws IOException {
        Workspace workspace = Workspace.open(TestApps.copyOfTodo(temp));
        Path other = TestApps.copyOfTodo(Files.createDirectories(temp.resolve("other")));
        Files.writeString(other.resolve("functions/addItem/source.js"), "exports = () => 'mine';");

        assertThatThrownBy(() -> workspace.export(other, dev.thimble.runtime.app.WriteOptions.EXPORT))
                .isInstanceOf(EditRefusedException.class).hasMessageContaining("not empty");
        assertThatThrownBy(() -> workspace.export(workspace.directory().resolve("nested"), dev.thimble.runtime.app.WriteOptions.EXPORT))
                .isInstanceOf(EditRefusedException.class);
        assertThat(TestApps.read(other.resolve("functions/addItem/source.js"))).isEqualTo("exports = () => 'mine';");
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
