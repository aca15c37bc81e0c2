package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.host.CompiledApp;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.RuleCase;
import dev.thimble.runtime.rules.RuleCaseException;
import dev.thimble.runtime.rules.RuleCaseResult;
import dev.thimble.runtime.rules.RuleCaseRunner;
import dev.thimble.runtime.rules.RuleException;
import dev.thimble.runtime.values.SecretStore;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "rules", mixinStandardHelpOptions = true,
        description = {"Evaluates an app's access rules with the server's engine, without a database.",
                "`rules eval` explains one case; `rules test` checks a file of cases (for CI)."},
        subcommands = {RulesCommand.Eval.class, RulesCommand.Test.class},
        footer = {"", "A case is JSON; documents are Extended JSON ({\"$oid\": …}, {\"$date\": …}):",
                "  {\"name\": \"a nurse sees a partial view\",",
                "   \"user\": {\"id\": \"u1\", \"type\": \"normal\", \"data\": {…}, \"custom_data\": {…}}",
                "           | \"system\" | \"anonymous\" | a name from the test file's \"users\",",
                "   \"service\": \"mongodb-atlas\" (the default),",
                "   \"namespace\": \"db.coll\",",
                "   \"action\": \"read\" | \"insert\" | \"update\" | \"replace\" | \"delete\" | \"query\",",
                "   \"document\": {…}            read, delete: stored; insert: new",
                "   \"before\": {…}, \"after\": {…}  update, replace",
                "   \"query\": {…}, \"projection\": {…}   read, query: the caller's own",
                "   \"values\": {…}              replace the app's %%%%values",
                "   \"functions\": {\"f\": result}  the result of %%function f, instead of running it",
                "   \"expect\": {\"outcome\": \"ALLOWED\" | \"DENIED\" | \"PARTIAL\",",
                "              \"role\": \"name\" | null, \"reason\": \"FIELDS_NOT_WRITABLE\" …,",
                "              \"visible\": {the exact document the user receives} | null,",
                "              \"fieldsRemoved\": [\"path\", …], \"fieldsRejected\": [\"path\", …],",
                "              \"filters\": [\"filter name\", …]}}",
                "Only the parts of expect that are given are checked.",
                "A test file: {\"users\": {\"name\": user, …}, \"cases\": [case, …]} or [case, …].",
                "Custom user data is not read from a database: give it in custom_data.",
                "Values linked to secrets come from the local secret store; for CI, give",
                "them in \"values\". More: docs/decisions/0006-rules-test-format.md,",
                "examples/clinic/rules-tests.json."})
final class RulesCommand {
    private static final JsonWriterSettings PRETTY = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();

    private RulesCommand() {
    }

    /** The app's rules compiled once, with its values, and %function run on the app's own functions. */
    static final class LoadedRules implements AutoCloseable {
        final RuleCaseRunner runner;
        final RuleFunctions functions;

        LoadedRules(Path appDir, PrintWriter warnings) {
            AppModel app = Bundles.loadValid(appDir, warnings);
            functions = new RuleFunctions(app);
            try {
                CompiledApp compiled = new CompiledApp(app, SecretStore.forApp(app.clientAppId())::get);
                runner = RuleCaseRunner.forApp(app, compiled.values(), compiled.environmentValues(), functions::forUser);
            } catch (RuleException e) {
                functions.close();
                throw new UserError(appDir + ": a rule does not compile: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            functions.close();
        }
    }

    static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("There is no " + what + " at " + file.toAbsolutePath() + "; give the path of a JSON file"
                    + " (see thimble rules --help for the format).");
        } catch (IOException e) {
            throw new UserError("Cannot read " + file + ": " + e.getMessage());
        }
    }

    static String pretty(Document document) {
        return document.toJson(PRETTY);
    }

    static String userLabel(RuleCase c) {
        if (c.isSystem()) {
            return "system (rules bypassed)";
        }
        if (c.user() == RuleCase.ANONYMOUS) {
            return "anonymous";
        }
        String label = "user \"" + c.user().id() + "\"";
        if (!c.user().type().equals("normal")) {
            label += " (" + c.user().type() + ")";
        }
        if (!c.user().customData().isEmpty()) {
            label += " custom_data " + RuleCaseResult.json(c.user().customData());
        }
        return label;
    }

    static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix);
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Explains the rules' decision on one case.",
                    "Prints the role that applied, each role tried with the clause that failed, the filters, the",
                    "fields removed or rejected, schema violations, and for reads the document as the user receives",
                    "it. Exit code 0 when the case ran, whatever the rules decided (expectations are shown, not",
                    "enforced: use `rules test`); 1 on bad input. The case format: thimble rules --help."})
    static final class Eval implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR", description = "The app bundle (folder or .zip).") Path appDir;
        @Option(names = "--case", required = true, paramLabel = "CASE.json", description = "The case to evaluate.") Path caseFile;
        @Option(names = "--json", description = "Print {name, decision, visible, query, projection, mismatches} as JSON.") boolean json;

        @Override
        public Integer call() {
            String text = read(caseFile, "case file");
            RuleCase ruleCase;
            try {
                ruleCase = RuleCase.parse(text);
            } catch (RuleCaseException e) {
                throw new UserError(caseFile + ": " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            try (LoadedRules rules = new LoadedRules(appDir, spec.commandLine().getErr())) {
                RuleCaseResult result;
                try {
                    result = rules.runner.run(ruleCase);
                } catch (RuleCaseException e) {
                    throw new UserError(caseFile + ": " + e.getMessage());
                } catch (RuleException e) {
                    throw new UserError(caseFile + ": the rules could not be evaluated: " + e.getMessage());
                }
                if (json) {
                    out.println(pretty(result.toDocument()));
                } else {
                    print(out, result);
                }
            }
            return Thimble.OK;
        }

        private static void print(PrintWriter out, RuleCaseResult result) {
            RuleCase c = result.ruleCase();
            out.println(c.name() + ": " + userLabel(c) + ", " + c.action().name().toLowerCase(Locale.ROOT) + " " + c.namespace());
            out.println(result.decision().describe());
            if (result.query() != null) {
                out.println("query that runs: " + RuleCaseResult.json(result.query())
                        + (result.projection() == null ? "" : ", projection: " + RuleCaseResult.json(result.projection())));
            }
            if (c.action() == Decision.Action.READ) {
                if (result.visible() == null) {
                    out.println("the user receives nothing: the document is invisible to them");
                } else {
                    out.println("the user receives:");
                    out.println(pretty(result.visible()));
                }
            }
            if (c.expect() != null) {
                if (result.passed()) {
                    out.println("expect: met");
                } else {
                    out.println("expect: NOT met");
                    Test.printMismatches(out, result, "  ");
                }
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Checks a file of cases; exit code 1 when any fails (for CI).",
                    "Prints ok or FAIL for each case (for a failure: expected against actual), then",
                    "\"N passed, M failed\". Exit code 0 when every case passes, 1 otherwise.",
                    "The case format: thimble rules --help."})
    static final class Test implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR", description = "The app bundle (folder or .zip).") Path appDir;
        @Parameters(index = "1", paramLabel = "TESTS.json", description = "{\"cases\": [...]} or an array of cases.") Path testsFile;
        @Option(names = "--json", description = "Print {passed, failed, cases: [{name, passed, decision, mismatches, error}]} as JSON.")
        boolean json;
        @Option(names = "--tap", description = "Print the Test Anything Protocol (version 13).") boolean tap;

        /** One case's run: a result, or the error that kept it from running. */
        private record Run(RuleCase ruleCase, RuleCaseResult result, String error) {
            boolean passed() {
                return error == null && result.passed();
            }
        }

        @Override
        public Integer call() {
            if (json && tap) {
                throw new UserError("Choose one output: --json or --tap.");
            }
            String text = read(testsFile, "test file");
            List<RuleCase> cases;
            try {
                cases = RuleCase.parseTests(text);
            } catch (RuleCaseException e) {
                throw new UserError(testsFile + ": " + e.getMessage());
            }
            List<Run> runs = new ArrayList<>();
            try (LoadedRules rules = new LoadedRules(appDir, spec.commandLine().getErr())) {
                for (RuleCase c : cases) {
                    runs.add(run(rules.runner, c));
                }
            }
            long passed = runs.stream().filter(Run::passed).count();
            long failed = runs.size() - passed;
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                printJson(out, runs, passed, failed);
            } else if (tap) {
                printTap(out, runs);
            } else {
                printText(out, runs, passed, failed);
            }
            return failed == 0 ? Thimble.OK : Thimble.USER_ERROR;
        }

        private static Run run(RuleCaseRunner runner, RuleCase c) {
            if (c.expect() == null) {
                return new Run(c, null, "the case has no \"expect\"; say what the rules should decide, e.g."
                        + " \"expect\": {\"outcome\": \"ALLOWED\"}");
            }
            try {
                return new Run(c, runner.run(c), null);
            } catch (RuleCaseException e) {
                return new Run(c, null, e.getMessage());
            } catch (RuleException e) {
                return new Run(c, null, "the rules could not be evaluated: " + e.getMessage());
            }
        }

        private static void printText(PrintWriter out, List<Run> runs, long passed, long failed) {
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                String label = (i + 1) + " " + run.ruleCase().name();
                if (run.passed()) {
                    out.println("ok    " + label);
                } else if (run.error() != null) {
                    out.println("FAIL  " + label);
                    out.println("      error: " + run.error());
                } else {
                    out.println("FAIL  " + label);
                    printMismatches(out, run.result(), "      ");
                    out.println("      decision:");
                    out.println(indent(run.result().decision().describe(), "        "));
                }
            }
            out.println(passed + " passed, " + failed + " failed");
        }

        static void printMismatches(PrintWriter out, RuleCaseResult result, String prefix) {
            for (RuleCaseResult.Mismatch m : result.mismatches()) {
                if (m.what().equals("visible")) {
                    out.println(prefix + "visible: expected " + m.expected());
                    out.println(prefix + "         got      " + m.actual());
                } else {
                    out.println(prefix + m.what() + ": expected " + m.expected() + ", got " + m.actual());
                }
                m.details().forEach(d -> out.println(prefix + "  - " + d));
            }
        }

        private static void printJson(PrintWriter out, List<Run> runs, long passed, long failed) {
            List<Document> list = new ArrayList<>();
            for (Run run : runs) {
                if (run.error() != null) {
                    list.add(new Document("name", run.ruleCase().name()).append("passed", false).append("error", run.error()));
                } else {
                    list.add(run.result().toDocument());
                }
            }
            out.println(pretty(new Document("passed", passed).append("failed", failed).append("cases", list)));
        }

        private static void printTap(PrintWriter out, List<Run> runs) {
            out.println("TAP version 13");
            out.println("1.." + runs.size());
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                out.println((run.passed() ? "ok " : "not ok ") + (i + 1) + " - " + run.ruleCase().name().replace("#", "\\#"));
                if (!run.passed()) {
                    out.println("  ---");
                    if (run.error() != null) {
                        out.println("  error: " + RuleCaseResult.json(run.error()));
                    } else {
                        for (RuleCaseResult.Mismatch m : run.result().mismatches()) {
                            out.println("  " + m.what() + ":");
                            out.println("    expected: " + RuleCaseResult.json(m.expected()));
                            out.println("    actual: " + RuleCaseResult.json(m.actual()));
                        }
                    }
                    out.println("  ...");
                }
            }
        }
    }
}
