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
        // GraalJS's parser loads while the bundle is read (no engine: decision 0023)
        dev.thimble.runtime.app.FunctionSourceChecker.prepareInBackground();
        LoadResult loaded = Bundles.read(appDir);
        List<Problem> problems = new java.util.ArrayList<>(Bundles.validate(loaded));
        if (loaded.app() != null && java.nio.file.Files.isDirectory(appDir)) {
            problems.addAll(requireProblems(appDir, loaded.app()));
        }
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

    /** Literal require() calls that name nothing the app has, or packages that need what functions cannot load. */
    static List<Problem> requireProblems(Path appDir, dev.thimble.runtime.app.AppModel app) {
        try {
            dev.thimble.runtime.npm.FunctionModules.Prepared modules = dev.thimble.runtime.npm.FunctionModules.locate(appDir,
                    dev.thimble.runtime.npm.FunctionModules.cacheFor(dev.thimble.runtime.data.DataDirectories.home(), app.clientAppId()));
            String notInstalled = modules.root() == null && !modules.warnings().isEmpty() ? modules.warnings().getFirst() : null;
            return dev.thimble.runtime.functions.FunctionRequires.check(app, modules.root(), notInstalled);
        } catch (java.io.IOException | RuntimeException e) {
            return List.of(Problem.warning("functions", "require", "the functions' packages could not be checked: " + e.getMessage()));
        }
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
