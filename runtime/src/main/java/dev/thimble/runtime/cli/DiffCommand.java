package dev.thimble.runtime.cli;

import dev.thimble.runtime.diff.BundleChanges;
import dev.thimble.runtime.diff.BundleDiff;
import dev.thimble.runtime.diff.UnreadableBundleException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code thimble diff A B}: what changes for users from one app bundle to another; the exit code tells CI whether they differ. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compares two app bundles entity by entity and says what changes for users "
                + "(\"role `nurse` gains read on `diagnosis`\"), not which lines moved. Secret values are never shown.",
                "Exit code 0 when the apps are the same, 1 when they differ, 2 when a bundle cannot be read (file, field and reason on stderr)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the apps are the same", "1:they differ", "2:a bundle cannot be read, or a usage error"})
final class DiffCommand implements Callable<Integer> {
    static final int SAME = 0;
    static final int DIFFERENT = 1;
    static final int UNREADABLE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "The old app bundle (folder or exported .zip), in any supported layout.")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "The new app bundle (folder or exported .zip).")
    Path after;

    @Option(names = "--json", description = "Print the changes as JSON: {equal, count, changes: [{subject, name, kind, field, summary, before, after}]}.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BundleChanges changes;
        try {
            changes = BundleDiff.between(before, after);
        } catch (UnreadableBundleException e) {
            PrintWriter err = spec.commandLine().getErr();
            e.problems().forEach(p -> err.println(e.bundle() + ": " + p));
            err.println("thimble diff: cannot read " + e.bundle() + "; fix the problems above (thimble validate " + e.bundle()
                    + " lists them too)");
            return UNREADABLE;
        }
        out.print(json ? changes.toJsonText() + System.lineSeparator() : changes.toText());
        out.flush();
        return changes.isEmpty() ? SAME : DIFFERENT;
    }
}
