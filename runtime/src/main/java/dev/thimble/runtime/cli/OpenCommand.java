package dev.thimble.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

@Command(name = "open", mixinStandardHelpOptions = true,
        description = "Opens the workbench on an app bundle (the welcome view without one).")
final class OpenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP_DIR", description = "The app bundle to open.")
    Path appDir;

    @Mixin
    ServeOptions serveOptions = new ServeOptions();

    @Override
    public Integer call() {
        Optional<WorkbenchLauncher> workbench = ServiceLoader.load(WorkbenchLauncher.class).findFirst();
        if (workbench.isPresent()) {
            workbench.get().open(appDir);
            return Thimble.OK;
        }
        var out = spec == null ? new java.io.PrintWriter(System.out, true) : spec.commandLine().getOut();
        if (appDir == null) {
            out.println("The workbench is not built yet, so there is no window to open.");
            out.println("Serve an app headless instead: thimble serve APP_DIR  (e.g. thimble serve examples/todo)");
            return Thimble.USER_ERROR;
        }
        out.println("The workbench is not built yet, so there is no window to open; serving " + appDir + " headless instead.");
        return ServeCommand.serve(appDir, serveOptions, out);
    }
}
