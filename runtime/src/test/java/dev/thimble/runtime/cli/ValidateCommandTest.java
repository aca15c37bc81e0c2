package dev.thimble.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {
    static final Path TODO = Path.of("../examples/todo");

    @TempDir
    Path temp;

    @Test
    void theExampleAppIsValid() {
        CliRun run = CliRun.of("validate", TODO.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("valid (0 errors");
    }

    @Test
    void aBrokenCopyGetsEveryProblemListedWithFileFieldAndReason() throws IOException {
        Path broken = copyOfTodo();
        edit(broken.resolve("triggers/onNewItem.json"), "\"function_name\": \"onItemInserted\"", "\"function_name\": \"onItemAdded\"");
        Files.writeString(broken.resolve("values/appTitle.json"), "{ \"name\": \"appTitle\", \"value\": ");
        edit(broken.resolve("functions/itemsDueSoon/source.js"), "return items.find(", "return items.find((");
        edit(broken.resolve("services/mongodb-atlas/rules/todo.items.json"), "\"owner_id\": \"%%user.id\"\n      },\n      \"read\"",
                "\"owner_id\": { \"%sameAs\": \"%%user.id\" }\n      },\n      \"read\"");

        CliRun run = CliRun.of("validate", "--json", broken.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertThat(result.get("valid").asBoolean()).isFalse();
        List<String> files = new ArrayList<>();
        result.get("errors").forEach(e -> {
            files.add(e.get("file").asText());
            assertThat(e.get("reason").asText()).isNotBlank();
        });
        assertThat(files).contains("triggers/onNewItem.json", "values/appTitle.json",
                "functions/itemsDueSoon/source.js", "services/mongodb-atlas/rules/todo.items.json");
        assertThat(run.out()).contains("onItemAdded").contains("%sameAs");
    }

    @Test
    void textOutputPrintsOneLinePerProblem() throws IOException {
        Path broken = copyOfTodo();
        edit(broken.resolve("triggers/onNewItem.json"), "\"function_name\": \"onItemInserted\"", "\"function_name\": \"onItemAdded\"");

        CliRun run = CliRun.of("validate", broken.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).containsPattern("error: triggers/onNewItem.json \\[function_name\\]: .*onItemAdded");
        assertThat(run.out()).contains("invalid (1 error");
    }

    private Path copyOfTodo() throws IOException {
        Path target = temp.resolve("todo");
        try (Stream<Path> files = Files.walk(TODO)) {
            for (Path source : files.toList()) {
                Path destination = target.resolve(TODO.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }

    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("fixture text in " + file).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
