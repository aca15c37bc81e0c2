package dev.thimble.runtime.security;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.security.ServedBundle.Answer;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 3 over HTTP: a refusal tells the client the rule and the role, never a value the rules
 * compared (here a secret); a development server adds the clause that was false, still without values;
 * the log record keeps the whole decision with the secret masked.
 */
class ClientErrorsTest {
    static final String SECRET = "s3cr3t-vault-key-9431";

    @TempDir
    static Path served;
    @TempDir
    static Path verboseDir;
    static ServedBundle app;
    static ServedBundle verbose;

    static ServedBundle.Bundle bundle() {
        return ServedBundle.bundle("vault-thmbl")
                .file("secrets.json", "{\"names\": [\"vaultKey\"]}")
                .file("values/secretValue.json", "{\"id\": \"5f0000000000000000000011\", \"name\": \"secretValue\", \"value\": \"vaultKey\", \"from_secret\": true}")
                .rule("vault", "items", """
                        [{"name": "keyholder", "apply_when": {}, "read": true, "write": true, "delete": true,
                          "insert": {"key": "%%values.secretValue"}}]""")
                .function("tryKey", "{\"name\": \"tryKey\", \"private\": false}", """
                        exports = async function(key) {
                          try {
                            await context.services.get('mongodb-atlas').db('vault').collection('items').insertOne({key: key});
                            return 'inserted';
                          } catch (e) { return e.message; }
                        };""");
    }

    @BeforeAll
    static void serve() {
        new SecretStore(served.resolve("secrets.json")).set("vaultKey", SECRET);
        new SecretStore(verboseDir.resolve("secrets.json")).set("vaultKey", SECRET);
        app = ServedBundle.serve(bundle(), served);
        verbose = ServedBundle.serve(bundle(), verboseDir);
        verbose.host.server().verboseErrors(true);
    }

    @AfterAll
    static void stop() {
        app.close();
        verbose.close();
    }

    static Answer insertGuess(ServedBundle on) {
        return on.action(on.anonymous(), "insertOne", "{\"database\": \"vault\", \"collection\": \"items\", \"document\": {\"key\": \"guess-123\"}}");
    }

    @Test
    void aRefusalNamesTheRuleAndTheRoleButNoComparedValue() {
        Answer answer = insertGuess(app);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.error()).isEqualTo("insertOne: role \"keyholder\" may not insert into vault.items (document "
                + answer.error().replaceAll(".*\\(document ([0-9a-f]+)\\).*", "$1") + "): its insert rule is false. Nothing was written.");
        assertThat(answer.body()).doesNotContain(SECRET).doesNotContain("guess-123").doesNotContain("values.secretValue");
    }

    @Test
    void aDevelopmentServerAddsTheClauseWithoutItsValues() {
        Answer answer = insertGuess(verbose);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.error()).contains("role \"keyholder\"").contains("roles[0].insert").contains("root.key").contains("values.secretValue");
        assertThat(answer.body()).doesNotContain(SECRET).doesNotContain("guess-123");
    }

    @Test
    void aFunctionSeesTheShortMessageToo() {
        Answer answer = app.function(app.anonymous(), "tryKey", "[\"guess-456\"]");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("may not insert").doesNotContain(SECRET).doesNotContain("guess-456\\\"");
    }

    @Test
    void theLogRecordKeepsTheWholeDecisionWithTheSecretMasked() {
        insertGuess(app);
        List<LogRecord> records = app.host.logs().recent(20);
        LogRecord refused = records.stream().filter(r -> r.error() != null && r.error().contains("may not insert")).reduce((a, b) -> b).orElseThrow();
        assertThat(refused.error()).contains("guess-123").contains("values.secretValue").contains("****").doesNotContain(SECRET);
    }
}
