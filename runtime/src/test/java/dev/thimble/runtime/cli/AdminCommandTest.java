package dev.thimble.runtime.cli;

import dev.thimble.runtime.admin.AdminIdentities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code thimble admin keys …} on a server home: the secret printed once, lists without it, delete. */
class AdminCommandTest {
    @TempDir
    Path home;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Thimble.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aKeyPairIsPrintedOnceWorksForTheMongodbCloudLoginIsListedWithoutItsSecretAndIsDeleted() {
        Run created = run("admin", "keys", "create", "--home", home.toString(), "--name", "realm-cli", "--cloud");
        assertThat(created.exit()).as(created.err()).isZero();
        Matcher publicKey = Pattern.compile("public key:\\s+(\\S+)").matcher(created.out());
        Matcher privateKey = Pattern.compile("private key:\\s+(\\S+)").matcher(created.out());
        assertThat(publicKey.find() && privateKey.find()).as(created.out()).isTrue();
        AdminIdentities ids = AdminIdentities.ofHome(home);
        assertThat(ids.checkCloudKey(publicKey.group(1), privateKey.group(1))).isPresent();

        Run listed = run("admin", "keys", "list", "--home", home.toString());
        assertThat(listed.out()).contains("realm-cli", publicKey.group(1)).doesNotContain(privateKey.group(1));

        String id = ids.checkCloudKey(publicKey.group(1), privateKey.group(1)).orElseThrow().id();
        assertThat(run("admin", "keys", "delete", "--home", home.toString(), id).exit()).isZero();
        assertThat(ids.checkCloudKey(publicKey.group(1), privateKey.group(1))).isEmpty();
        Run again = run("admin", "keys", "delete", "--home", home.toString(), id);
        assertThat(again.exit()).isEqualTo(Thimble.USER_ERROR);
        assertThat(again.err()).contains("no admin or key");
    }

    @Test
    void creatingAnAdminUserWithoutATerminalOrPasswordVariableSaysHowToPassIt() {
        Run created = run("admin", "users", "create", "--home", home.toString(), "root@example.com");
        assertThat(created.exit()).isEqualTo(Thimble.USER_ERROR);
        assertThat(created.err()).contains("--password-env");
        assertThat(AdminIdentities.ofHome(home).users()).isEmpty();
    }
}
