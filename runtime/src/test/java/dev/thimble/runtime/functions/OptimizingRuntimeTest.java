package dev.thimble.runtime.functions;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Functions on the optimizing Truffle runtime, started exactly as {@code bin/graal.sh} starts
 * {@code ./thimble}: GraalJS on the module path, the Graal compiler on the upgrade module path, the
 * rest on the class path. The compiler must really be used, answers must not change, and the
 * sandbox and time limit must hold under compiled code (decision 0009).
 */
class OptimizingRuntimeTest {

    @Test
    void functionsRunCompiledWithTheSameAnswersSandboxAndTimeLimit() throws Exception {
        Path compiler = compilerForThisJdk();

        Map<String, String> report = runProbe(compiler, List.of(), "40");

        assertThat(report.get("optimizing")).as(report.toString()).isEqualTo("true");
        assertThat(report.get("cpu.answer")).isEqualTo(expectedCpuAnswer());
        // Compiled code must be much faster than the first, interpreted rounds once warm.
        assertThat(Long.parseLong(report.get("cpu.lastMillis")) * 2).as(report.toString())
                .isLessThan(Math.max(20, Long.parseLong(report.get("cpu.firstMillis"))));
        assertThat(report.get("spin.kind")).isEqualTo("TIME_LIMIT");
        assertThat(Long.parseLong(report.get("spin.millis"))).isLessThan(10_000);
        assertThat(report.get("escape.kind")).isEqualTo("THROWN");
        assertThat(report.get("escape.message")).containsIgnoringCase("java");
    }

    /**
     * The servers' default (decision 0077): the same module layout with Truffle's fallback runtime chosen by a property
     * interprets, and says so and how to compile instead; answers, sandbox and time limit are the same.
     */
    @Test
    void theFallbackPropertyInterpretsWithTheCompilerLoadable() throws Exception {
        Path compiler = compilerForThisJdk();

        Map<String, String> report = runProbe(compiler, List.of("-Dtruffle.UseFallbackRuntime=true"), "2");

        assertThat(report.get("optimizing")).as(report.toString()).isEqualTo("false");
        assertThat(report.get("announcement")).as(report.toString())
                .contains("interpreter-only, the servers' default").contains("THIMBLE_JIT=on");
        assertThat(report.get("cpu.answer")).isEqualTo(expectedCpuAnswer());
        assertThat(report.get("spin.kind")).isEqualTo("TIME_LIMIT");
        assertThat(report.get("escape.kind")).isEqualTo("THROWN");
    }

    /** The same loop as the probe's, in Java: the compiled JavaScript must agree with it. */
    private static String expectedCpuAnswer() {
        double s = 0;
        for (int i = 0; i < 300_000; i++) {
            s = (s + Math.sqrt(i) * (i % 7)) % 1000003;
        }
        return "BsonInt32{value=" + (int) Math.floor(s) + "}";
    }

    /** The Graal compiler jar; the test is skipped, saying why, on a JDK update it was not built for. */
    private static Path compilerForThisJdk() throws IOException {
        Path compiler = compilerJar();
        String jdk = System.getProperty("java.version");
        assumeTrue(compiler.getFileName().toString().equals("compiler-" + jdk + ".jar"),
                "the Graal compiler " + compiler.getFileName() + " loads only on its own JDK update; this is " + jdk);
        return compiler;
    }

    private static Path compilerJar() throws IOException {
        Path dir = Path.of("target", "graal-compiler");
        try (var jars = Files.list(dir)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("compiler-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Graal compiler in " + dir + " (the runtime pom copies it)"));
        }
    }

    private static Map<String, String> runProbe(Path compiler, List<String> jvmOptions, String rounds) throws IOException, InterruptedException {
        List<String> graal = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            (entry.contains("/org/graalvm/") && entry.endsWith(".jar") ? graal : rest).add(entry);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(Arrays.asList(java, "-Xmx512m",
                "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--module-path", String.join(File.pathSeparator, graal),
                "--upgrade-module-path", compiler.toString(),
                "--add-modules", "org.graalvm.polyglot,org.graalvm.truffle",
                "--enable-native-access=org.graalvm.truffle"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, rest), OptimizingRuntimeProbe.class.getName(), rounds));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean exited = process.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(exited).as(text).isTrue();
        assertThat(process.exitValue()).as(text).isZero();
        Map<String, String> report = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("WARNING") && !line.contains(" INFO ")) {
                report.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        System.out.println("optimizing runtime probe: " + report);
        return report;
    }
}
