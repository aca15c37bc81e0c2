package dev.thimble.runtime.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs test files of {@code test-clients/tests} with Node's test runner against a server, so the
 * real, unmodified SDKs drive Thimble over HTTP. Fails with a message that says what to install
 * when Node or the SDK packages are missing.
 */
final class NodeSdkRunner {
    static final Path TEST_CLIENTS = Path.of("..", "test-clients").toAbsolutePath().normalize();

    record Result(int exitCode, String output) {
    }

    static Result run(Map<String, String> env, String... testFiles) throws IOException, InterruptedException {
        return run(env, 60, testFiles);
    }

    /** As above, with each test file given {@code timeoutSeconds} (a suite that loads many packages cold needs more on a busy machine). */
    static Result run(Map<String, String> env, int timeoutSeconds, String... testFiles) throws IOException, InterruptedException {
        if (!Files.isDirectory(TEST_CLIENTS.resolve("node_modules/realm-web"))) {
            throw new IllegalStateException("The SDK test clients are not installed: run `npm ci` in " + TEST_CLIENTS
                    + " (./run-tests and .ci/run do this when npm is available)");
        }
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=tap", "--test-concurrency=1", "--test-timeout=" + timeoutSeconds * 1000));
        for (String file : testFiles) {
            command.add("tests/" + file);
        }
        Path output = Files.createTempFile("thimble-sdk-tests", ".tap");
        ProcessBuilder builder = new ProcessBuilder(command).directory(TEST_CLIENTS.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Node.js (20 or newer) is needed for the SDK tests and was not found on the PATH", e);
        }
        boolean finished = process.waitFor(Math.max(5 * 60, timeoutSeconds + 60), TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        return new Result(finished ? process.exitValue() : -1, finished ? text : text + "\n(timed out after 5 minutes)");
    }
}
