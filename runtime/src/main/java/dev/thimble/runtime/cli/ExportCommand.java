package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.WriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes an app as a bundle in the Stitch layout (a folder or a .zip). Secret values are never exported.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP_DIR", description = "The app bundle to export.")
    Path appDir;

    @Option(names = "--out", required = true, paramLabel = "DIR|FILE.zip", description = "Where to write the bundle.")
    Path out;

    @Option(names = "--template", description = "Leave out deployment-specific values (app id suffix, cluster names, environment values).")
    boolean template;

    @Override
    public Integer call() {
        AppModel app = Bundles.loadValid(appDir, spec.commandLine().getOut());
        try {
            if (Bundles.isZip(out)) {
                AppBundles.writeZip(app, out, new WriteOptions(template));
            } else {
                AppBundles.write(app, out, new WriteOptions(template));
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError("Cannot write " + out + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println("Exported " + app.name() + " to " + out + (template ? " (as a template)" : ""));
        return Thimble.OK;
    }
}
