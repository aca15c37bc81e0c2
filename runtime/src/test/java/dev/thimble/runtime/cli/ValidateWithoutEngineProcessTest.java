package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code thimble validate} parses the functions with GraalJS's parser alone (decision 0023): a whole
 * validation of the example, in a JVM of its own, loads the parser and never the polyglot engine, whose
 * start (Truffle, the JavaScript language) was most of a short validate before.
 */
class ValidateWithoutEngineProcessTest {

    @Test
    void validatingTheExampleLoadsTheParserButStartsNoJavaScriptEngine(@TempDir Path tmp) throws Exception {
        Path classes = tmp.resolve("classes.log");
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-Xlog:class+load=info:file=" + classes,
                "-cp", System.getProperty("java.class.path"),
                "-Dthimble.home=" + tmp.resolve("home"),
                Thimble.class.getName(), "validate", "../examples/todo")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("valid (0 errors");
        String loaded = Files.readString(classes);
        assertThat(loaded).contains("com.oracle.js.parser.Parser ");
        assertThat(loaded).doesNotContain("com.oracle.truffle.polyglot.PolyglotEngineImpl ")
                .doesNotContain("com.oracle.truffle.js.lang.JavaScriptLanguage ");
    }
}
