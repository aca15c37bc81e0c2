package dev.thimble.runtime.functions;

import dev.thimble.runtime.app.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What validate reports about require() before anything runs. */
class FunctionRequiresTest {
    @TempDir
    Path functions;

    @Test
    void refusedBuiltInsMissingPackagesAndPackagesThatNeedWhatTheSandboxRefusesAreReported() throws IOException {
        write("node_modules/mailer/package.json", "{\"name\": \"mailer\", \"main\": \"lib/index.js\"}");
        write("node_modules/mailer/lib/index.js", "const send = require('./send');\nmodule.exports = send;");
        write("node_modules/mailer/lib/send.js", "const { spawn } = require('child_process');\ntry { require('optional-dep'); } catch (e) {}\nmodule.exports = spawn;");
        write("node_modules/fine/index.js", "module.exports = require('crypto').createHash;");
        write("node_modules/bcrypt/package.json", "{\"name\": \"bcrypt\", \"main\": \"bcrypt.js\"}");
        write("node_modules/bcrypt/bcrypt.js", "module.exports = require('./build/Release/bcrypt_lib.node');");
        write("node_modules/bcrypt/build/Release/bcrypt_lib.node", "\0");
        var app = TestApp.app()
                .function("shell", "exports = function() { return require('child_process').execSync('ls'); };")
                .function("uses", "exports = function() {\n  const fine = require('fine'), crypto = require(\"crypto\");\n  return require('mailer')(require('left-pad'));\n};")
                .function("hashes", "exports = function() { return require('bcrypt').hashSync('x', 10); };")
                .build();

        List<Problem> problems = FunctionRequires.check(app, functions, null);

        assertThat(problems).extracting(Problem::file, Problem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple("functions/shell/source.js", "require('child_process')"),
                org.assertj.core.groups.Tuple.tuple("functions/uses/source.js", "require('mailer')"),
                org.assertj.core.groups.Tuple.tuple("functions/uses/source.js", "require('left-pad')"),
                org.assertj.core.groups.Tuple.tuple("functions/hashes/source.js", "require('bcrypt')"));
        assertThat(problems).allMatch(p -> !p.isError());
        assertThat(problems.get(0).reason()).isEqualTo("require('child_process'): Node's child_process module is not available in Thimble functions (functions cannot start processes)");
        assertThat(problems.get(1).reason()).isEqualTo("package 'mailer' requires 'child_process' in node_modules/mailer/lib/send.js, which functions cannot load:"
                + " require('child_process'): Node's child_process module is not available in Thimble functions (functions cannot start processes); calls that reach it will fail");
        assertThat(problems.get(2).reason()).startsWith("Cannot find module 'left-pad': it is not in the app's functions/node_modules");
        assertThat(problems.get(3).reason()).contains("bcrypt_lib.node is a native addon");
    }

    @Test
    void packagesNotInstalledYetSaySo() {
        var app = TestApp.app().function("f", "exports = () => require('axios');").build();
        assertThat(FunctionRequires.check(app, null, "thimble serve installs functions/package-lock.json from the npm registry when it starts"))
                .singleElement().extracting(Problem::reason)
                .isEqualTo("package 'axios' is not installed yet: thimble serve installs functions/package-lock.json from the npm registry when it starts");
    }

    private void write(String path, String text) throws IOException {
        Path file = functions.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
