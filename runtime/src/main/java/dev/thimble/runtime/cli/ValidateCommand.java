package dev.thimble.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks an app bundle and lists every problem with its file, field and reason. Exit code 1 when there are errors.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP_DIR", description = "The app bundle (folder or .zip), in any supported layout.")
    Path appDir;

    @Option(names = "--json", description = "Print the result as JSON: {valid, layout, errors: [...], warnings: [...]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LoadResult loaded = Bundles.read(appDir);
        List<Problem> problems = Bundles.validate(loaded);
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        List<Problem> warnings = problems.stream().filter(p -> !p.isError()).toList();
        boolean valid = errors.isEmpty() && loaded.app() != null;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(asJson(loaded, valid, errors, warnings));
        } else {
            problems.forEach(out::println);
            out.println(appDir + ": " + (valid ? "valid" : "invalid") + " (" + errors.size() + " error"
                    + (errors.size() == 1 ? "" : "s") + ", " + warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s") + ")");
        }
        return valid ? Thimble.OK : Thimble.USER_ERROR;
    }

    private static String asJson(LoadResult loaded, boolean valid, List<Problem> errors, List<Problem> warnings) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("valid", valid);
        root.put("layout", loaded.layout() == null ? null : loaded.layout().name());
        root.set("errors", problemsNode(mapper, errors));
        root.set("warnings", problemsNode(mapper, warnings));
        return mapper.writeValueAsString(root);
    }

    private static ArrayNode problemsNode(ObjectMapper mapper, List<Problem> problems) {
        ArrayNode array = mapper.createArrayNode();
        for (Problem problem : problems) {
            array.addObject().put("file", problem.file()).put("field", problem.field()).put("reason", problem.reason());
        }
        return array;
    }
}
