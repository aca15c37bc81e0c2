package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.ClientAppIds;
import dev.thimble.runtime.app.UnservedParts;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.Problem;
import dev.thimble.runtime.app.WriteOptions;
import dev.thimble.runtime.values.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Converts an exported app (Stitch, Realm v1, realm-cli v2 or App Services layout; folder or .zip) "
                + "into a Thimble app bundle in the Stitch layout.",
                "Secret values found in the export go to the app's local secret store, not into the bundle."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC_DIR|FILE.zip", description = "The exported app.")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "APP_DIR", description = "The folder to create (must not exist or be empty).")
    Path out;

    @Option(names = "--app-id", paramLabel = "ID", description = "The client app id to give the app (default: the export's own;"
            + " when it has none, one derived from the app's name, else from the folder or zip name).")
    String appId;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        if (appId != null && !ClientAppIds.usable(appId)) {
            throw new UserError("--app-id " + appId + " cannot name the app's folder: use letters, digits, '.', '_' and '-' only,"
                    + " starting with a letter or digit (e.g. todo-abcde).");
        }
        LoadResult loaded = Bundles.read(source, appId);
        List<Problem> problems = Bundles.validate(loaded);
        problems.forEach(console::println);
        if (loaded.app() == null) {
            throw new UserError("Cannot import " + source + ": it could not be read (see above). Nothing was written.");
        }
        List<Problem> untaken = loaded.readErrors();
        if (!untaken.isEmpty()) {
            throw new UserError("Cannot import " + source + ": " + untaken.size() + " part" + (untaken.size() == 1 ? "" : "s")
                    + " of it could not be taken as written (the errors above); importing would lose or change "
                    + (untaken.size() == 1 ? "it" : "them") + " silently. Fix them in the export and import again. Nothing was written.");
        }
        if (Files.exists(out) && !isEmptyDirectory(out)) {
            throw new UserError(out + " already exists and is not empty. Choose a new folder for the imported app.");
        }
        AppModel app = loaded.app();
        if (!ClientAppIds.usable(app.clientAppId())) {
            throw new UserError("Cannot import " + source + ": its client app id '" + app.clientAppId() + "' cannot name the app's folder."
                    + " Choose one with --app-id ID (e.g. --app-id todo-abcde). Nothing was written.");
        }
        try {
            AppBundles.write(app, out, new WriteOptions(false));
        } catch (IOException | RuntimeException e) {
            throw new UserError("Cannot write " + out + ": " + e.getMessage());
        }
        try {
            List<String> copied = AppBundles.copyBinaryFiles(source, out);
            if (!copied.isEmpty()) {
                console.println("Copied " + copied.size() + " binary file(s) as they are (" + String.join(", ", copied.stream().limit(5).toList())
                        + (copied.size() > 5 ? ", …" : "") + ").");
            }
        } catch (IOException e) {
            throw new UserError("Cannot copy the binary files of " + source + " into " + out + ": " + e.getMessage());
        }
        Map<String, String> secrets = loaded.extractedSecrets();
        if (!secrets.isEmpty()) {
            SecretStore store = SecretStore.forApp(app.clientAppId());
            secrets.forEach(store::set);
            console.println("Moved " + secrets.size() + " secret value(s) into the local secret store (" + store.file() + ").");
        }
        try {
            dev.thimble.runtime.npm.NpmInstaller registry = dev.thimble.runtime.npm.NpmInstaller.standard();
            dev.thimble.runtime.npm.ImportedDependencies.bring(source, out, app, registry::latestVersion).forEach(console::println);
        } catch (IOException | RuntimeException e) {
            console.println("Warning: the functions' npm dependencies were not carried over: " + e.getMessage());
        }
        long errors = problems.stream().filter(Problem::isError).count();
        console.println("Imported " + app.name() + " (" + loaded.layout() + ") into " + out
                + (errors == 0 ? "." : "; it has " + errors + " error(s) to fix before it can be served (listed above)."));
        List<String> unserved = UnservedParts.keptNotServed(app);
        if (!unserved.isEmpty()) {
            console.println("Kept but not served by Thimble (see the warnings above): " + String.join(", ", unserved) + ".");
        }
        return Thimble.OK;
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (var entries = Files.list(dir)) {
            return Files.isDirectory(dir) && entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
