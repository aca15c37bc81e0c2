package dev.thimble.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code thimble} command. Exit codes: 0 success, 1 a user error (a bad bundle, a missing file,
 * an unreachable database: the message says what to do), 2 a usage error (unknown option, missing
 * argument).
 */
@Command(name = "thimble",
        mixinStandardHelpOptions = true,
        versionProvider = ThimbleVersion.class,
        description = "A workbench and self-hosted runtime for Stitch-style apps.%n"
                + "Without a command, opens the workbench.",
        subcommands = {OpenCommand.class, ServeCommand.class, ServerCommand.class, ValidateCommand.class, ExportCommand.class,
                ImportCommand.class, DiffCommand.class, SecretsCommand.class, KeysCommand.class, RulesCommand.class, AdminCommand.class,
                CommandLine.HelpCommand.class})
public final class Thimble implements Runnable {
    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int USAGE = 2;

    @Override
    public void run() {
        new OpenCommand().call();
    }

    public static void main(String[] args) {
        if (args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]))) {
            // The short path for scripts and CI loops: no command-line parser, no runtime classes loaded.
            System.out.println(versionLine());
            return;
        }
        StartupTrace.mark(StartupTrace.MAIN);
        ListenerWarming.startFor(args); // beside the command line's parsing
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** {@code thimble 0.1.0-SNAPSHOT (Java 25.0.3+9-LTS)}: the version from the jar's manifest when packaged. */
    static String versionLine() {
        String version = Thimble.class.getPackage().getImplementationVersion();
        return "thimble " + (version == null ? "development build" : version) + " (Java " + Runtime.version() + ")";
    }

    /** Runs one command line with the given streams; returns the exit code (used by tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = CommandLines.forArguments(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof UserError userError) {
                line.getErr().println(userError.getMessage());
                return USER_ERROR;
            }
            line.getErr().println("thimble: " + exception);
            exception.printStackTrace(line.getErr());
            return USER_ERROR;
        });
        return commandLine.execute(args);
    }
}
