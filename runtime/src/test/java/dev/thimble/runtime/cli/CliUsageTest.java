package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CliUsageTest {
    @Test
    void helpListsEveryCommandAndExitsZero() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("open", "serve", "validate", "export", "import", "secrets");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"open", "serve", "validate", "export", "import", "secrets"}) {
            CliRun run = CliRun.of(command, "--help");
            assertThat(run.exitCode()).as(command + " --help").isZero();
            assertThat(run.out()).as(command + " --help").contains("Usage: thimble " + command);
        }
        assertThat(CliRun.of("secrets", "set", "--help").out()).contains("standard input");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun run = CliRun.of("validate", "--frobnicate", "x");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--frobnicate'");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        CliRun run = CliRun.of("export", "../examples/todo");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--out");
    }

    @Test
    void aMissingBundleIsAUserErrorThatSaysWhatToGive() {
        CliRun run = CliRun.of("validate", "no/such/app");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("There is no app bundle at").contains("stitch.json");
    }

    @Test
    void openWithoutAWorkbenchSaysSoPlainly() {
        CliRun run = CliRun.of("open");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("The workbench is not built yet").contains("thimble serve");
    }
}
