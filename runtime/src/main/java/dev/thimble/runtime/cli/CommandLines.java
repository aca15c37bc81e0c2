package dev.thimble.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

/**
 * Builds the parser for one {@code thimble} command line. Picocli reads the annotations of every subcommand
 * (and theirs) when it builds a tree, ~0.5 s of a cold JVM on a loaded 2-core machine, all before {@code thimble
 * serve} may bind its port: a line that names a command gets a tree of that command alone, under a root that
 * is the same {@code thimble} (name, help and version options), so usage, errors and exit codes read as the whole
 * tree's. Anything else (no command, {@code help}, {@code --help}, a mistyped command) gets the whole tree.
 * Issue 17, decision 0054.
 */
final class CommandLines {
    /** Every subcommand of {@link Thimble} by name; {@code CommandLinesTest} checks it against the annotation. */
    static final Map<String, Class<?>> COMMANDS = Map.ofEntries(
            Map.entry("open", OpenCommand.class),
            Map.entry("serve", ServeCommand.class),
            Map.entry("server", ServerCommand.class),
            Map.entry("validate", ValidateCommand.class),
            Map.entry("export", ExportCommand.class),
            Map.entry("import", ImportCommand.class),
            Map.entry("diff", DiffCommand.class),
            Map.entry("secrets", SecretsCommand.class),
            Map.entry("keys", KeysCommand.class),
            Map.entry("rules", RulesCommand.class),
            Map.entry("admin", AdminCommand.class));

    private CommandLines() {
    }

    /** The parser for {@code args}: the named command's tree alone, or the whole tree. */
    static CommandLine forArguments(String[] args) {
        Class<?> command = args.length > 0 ? COMMANDS.get(args[0]) : null;
        return command == null ? whole() : new CommandLine(new OneCommand()).addSubcommand(command);
    }

    static CommandLine whole() {
        return new CommandLine(new Thimble());
    }

    /** {@link Thimble}'s root without its list of subcommands: the one a line names is added to it. */
    @Command(name = "thimble", mixinStandardHelpOptions = true, versionProvider = ThimbleVersion.class)
    static final class OneCommand implements Runnable {
        @Override
        public void run() {
            new Thimble().run(); // never reached: a line with a command runs that command
        }
    }
}
