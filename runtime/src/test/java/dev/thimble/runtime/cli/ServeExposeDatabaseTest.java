package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code thimble serve --expose-database}: the opt-in TCP port of the embedded database says what it exposes. */
class ServeExposeDatabaseTest {

    @Test
    void theHelpSaysThePortHasNoAuthentication() {
        CliRun run = CliRun.of("serve", "--help");

        assertThat(run.out().replaceAll("\\s+", " ")).contains("--expose-database=PORT")
                .contains("no authentication: every process on this machine can then read and write all of the app's data");
    }

    @Test
    void aPortOutOfRangeIsAUserErrorBeforeAnythingStarts() {
        CliRun run = CliRun.of("serve", "../examples/todo", "--port", "0", "--expose-database", "70000");

        assertThat(run.exitCode()).isEqualTo(Thimble.USER_ERROR);
        assertThat(run.err()).contains("--expose-database takes a port from 1 to 65535, or 0 for any free one; was 70000.");
    }
}
