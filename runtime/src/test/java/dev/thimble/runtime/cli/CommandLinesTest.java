package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command line that names a command is parsed by that command's tree alone (issue 17: picocli builds every
 * subcommand's model before `thimble serve` can bind its port); it must read exactly as the whole tree.
 */
class CommandLinesTest {
    @Test
    void everyCommandOfTheWholeTreeHasItsOwnParser() {
        Set<String> whole = CommandLines.whole().getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help")).collect(Collectors.toSet());

        assertThat(CommandLines.COMMANDS.keySet()).isEqualTo(whole);
    }

    @Test
    void eachCommandsUsageIsTheWholeTreesWordForWord() {
        Map<String, String> alone = new TreeMap<>();
        Map<String, String> inWhole = new TreeMap<>();
        for (String name : CommandLines.COMMANDS.keySet()) {
            alone.put(name, usage(CommandLines.forArguments(new String[] {name}).getSubcommands().get(name)));
            inWhole.put(name, usage(CommandLines.whole().getSubcommands().get(name)));
        }

        assertThat(alone).isEqualTo(inWhole);
    }

    @Test
    void aLineWithoutAKnownCommandGetsTheWholeTree() {
        assertThat(CommandLines.forArguments(new String[0]).getSubcommands()).containsKeys("serve", "validate", "help");
        assertThat(CommandLines.forArguments(new String[] {"help", "serve"}).getSubcommands()).containsKeys("serve", "help");
        assertThat(CommandLines.forArguments(new String[] {"serv"}).getSubcommands()).containsKeys("serve", "validate");
    }

    @Test
    void aNamedCommandsErrorsAndHelpReadAsBefore() {
        CliRun unknown = CliRun.of("serve", "--frobnicate", "x");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--frobnicate'").contains("Usage: thimble serve");

        CliRun mistyped = CliRun.of("serv", "x");
        assertThat(mistyped.exitCode()).isEqualTo(2);
        assertThat(mistyped.err()).contains("Did you mean: thimble serve");
    }

    private static String usage(CommandLine line) {
        return line.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }
}
