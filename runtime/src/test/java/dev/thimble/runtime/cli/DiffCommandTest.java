package dev.thimble.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code thimble diff A B}: output and exit codes (0 same, 1 different, 2 unreadable). */
class DiffCommandTest {
    @TempDir
    Path temp;

    private Path before;
    private Path after;

    private void pair() {
        before = TestApps.copy(TestApps.TODO, temp.resolve("before/todo"));
        after = TestApps.copy(TestApps.TODO, temp.resolve("after/todo"));
    }

    private static void edit(Path file, String old, String replacement) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(old);
        Files.writeString(file, text.replace(old, replacement));
    }

    @Test
    void equalBundlesExitZeroAndSaySo() {
        pair();
        CliRun run = CliRun.of("diff", before.toString(), after.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("no changes" + System.lineSeparator());
    }

    @Test
    void differentBundlesExitOneAndPrintWhatChangesForUsers() throws IOException {
        pair();
        edit(after.resolve("triggers/onNewItem.json"), "\"INSERT\"", "\"INSERT\", \"UPDATE\"");
        Files.move(after.resolve("functions/addItem"), after.resolve("functions/insertItem"));
        edit(after.resolve("functions/insertItem/config.json"), "\"name\": \"addItem\"", "\"name\": \"insertItem\"");

        CliRun run = CliRun.of("diff", before.toString(), after.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(String.join(System.lineSeparator(),
                "functions",
                "  > function `addItem` renamed to `insertItem` (same source and settings)",
                "triggers",
                "  ~ trigger `onNewItem` now also fires on update",
                "2 changes", ""));
    }

    @Test
    void jsonOutputIsParseableAndCarriesTheSameChanges() throws IOException {
        pair();
        edit(after.resolve("values/maxItemLength.json"), "\"value\": 200", "\"value\": 300");

        CliRun run = CliRun.of("diff", "--json", before.toString(), after.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("equal").asBoolean()).isFalse();
        assertThat(json.get("changes").get(0).get("summary").asText()).isEqualTo("value `maxItemLength` now 300 (was 200)");
    }

    @Test
    void anExportedZipComparesWithItsFolder() {
        pair();
        Path zip = temp.resolve("todo.zip");
        assertThat(CliRun.of("export", before.toString(), "--out", zip.toString()).exitCode()).isZero();

        CliRun run = CliRun.of("diff", zip.toString(), after.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }

    @Test
    void anUnreadableBundleExitsTwoNamingFileFieldAndReason() throws IOException {
        pair();
        Files.writeString(after.resolve("values/appTitle.json"), "{ \"name\": \"appTitle\", \"value\": ");

        CliRun run = CliRun.of("diff", before.toString(), after.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("values/appTitle.json").contains("not valid JSON").contains("thimble validate");
    }

    @Test
    void aMissingBundleExitsTwo() {
        pair();
        CliRun run = CliRun.of("diff", before.toString(), temp.resolve("missing").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing").contains("no file or folder");
    }
}
