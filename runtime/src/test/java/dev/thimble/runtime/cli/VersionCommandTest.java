package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code thimble --version}: one line, the same either way, and the short path loads no command-line parser or runtime. */
class VersionCommandTest {
    @Test
    void thePicocliOptionPrintsTheSameLineAsTheShortPath() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo(Thimble.versionLine());
        assertThat(Thimble.versionLine()).matches("thimble \\S+.* \\(Java 25.*\\)");
    }

    @Test
    void theShortPathLoadsNeitherPicocliNorTheRuntime() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xlog:class+load=info:stderr",
                "-cp", System.getProperty("java.class.path"), Thimble.class.getName(), "--version"))
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String loaded = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(out.strip()).startsWith("thimble ").contains("(Java ");
        assertThat(loaded).contains("dev.thimble.runtime.cli.Thimble ")
                .doesNotContain("picocli.")
                .doesNotContain("dev.thimble.runtime.app.")
                .doesNotContain("org.graalvm.");
    }
}
