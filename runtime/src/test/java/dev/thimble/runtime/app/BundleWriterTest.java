package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writing the Stitch layout: which files, what they hold, how they look, and where the writer refuses to write. */
class BundleWriterTest {
    private static final LoadResult FULL = Fixtures.read("stitch-full");

    @Test
    void theStitchTreeIsWrittenFileByFile(@TempDir Path dir) throws IOException {
        AppBundles.write(FULL.app(), dir, WriteOptions.EXPORT);
        assertThat(Fixtures.tree(dir).keySet()).containsExactly(
                "auth_providers/anon-user.json", "auth_providers/api-key.json", "auth_providers/custom-function.json",
                "auth_providers/custom-token.json", "auth_providers/local-userpass.json", "auth_providers/oauth2-google.json",
                "data_api_config.json",
                "functions/addToCart/config.json", "functions/addToCart/source.js",
                "functions/isOwner/config.json", "functions/isOwner/source.js",
                "functions/legacy/helper/config.json", "functions/legacy/helper/source.js",
                "functions/package.json",
                "graphql/config.json", "graphql/custom_resolvers/countItems.json",
                "hosting/files/index.html", "hosting/metadata.json",
                "http_endpoints/config.json",
                "log_forwarders/errors.json",
                "secrets.json",
                "services/aws/config.json", "services/aws/rules/s3put.json",
                "services/gcm/config.json", "services/gcm/rules/push.json",
                "services/github/config.json",
                "services/github/incoming_webhooks/onPush/config.json", "services/github/incoming_webhooks/onPush/source.js",
                "services/http/config.json",
                "services/http/incoming_webhooks/find/config.json", "services/http/incoming_webhooks/find/source.js",
                "services/http/rules/allowExample.json", "services/http/rules/allowGoogle.json",
                "services/mongodb-atlas/config.json", "services/mongodb-atlas/default_rule.json",
                "services/mongodb-atlas/rules/app.users.json", "services/mongodb-atlas/rules/todo.items.json",
                "services/mongodb-local/config.json", "services/mongodb-local/rules/local.logs.json",
                "services/s3/config.json", "services/s3/rules/upload.json",
                "services/ses/config.json", "services/ses/rules/mail.json",
                "services/twilio/config.json",
                "services/twilio/incoming_webhooks/incomingSms/config.json", "services/twilio/incoming_webhooks/incomingSms/source.js",
                "services/twilio/rules/sendSms.json",
                "stitch.json",
                "triggers/nightly.json", "triggers/notifyOnOrder.json", "triggers/onLogin.json",
                "values/adminSettings.json", "values/externalApiKey.json", "values/storeEmail.json");
    }

    @Test
    void jsonIsWrittenLikeJsonStringifyWithTwoSpacesAndATrailingNewline(@TempDir Path dir) throws IOException {
        AppBundles.write(FULL.app(), dir, WriteOptions.EXPORT);
        assertThat(Fixtures.text(dir.resolve("values/adminSettings.json"))).isEqualTo("""
                {
                  "id": "5a1d00000000000000000003",
                  "name": "adminSettings",
                  "value": {
                    "maxItems": 50,
                    "ratio": 0.5,
                    "tags": [
                      "a",
                      "b"
                    ]
                  },
                  "private": true
                }
                """);
    }

    @Test
    void topLevelKeysFollowTheSpecOrderThenUnknownFieldsAlphabetically(@TempDir Path dir) throws IOException {
        Json config = Json.parse("""
                { "zeta": 1, "function_name": "f", "disabled": false, "config": { "schedule": "* * * * *", "b": 2, "a": 1 },
                  "alpha": true, "type": "SCHEDULED", "name": "tick" }""");
        AppModel app = app(Json.parse("{ \"app_id\": \"x-abcde\", \"name\": \"x\" }"), List.of(new TriggerDef(config)), List.of(), Map.of());
        AppBundles.write(app, dir, WriteOptions.EXPORT);
        assertThat(Fixtures.text(dir.resolve("triggers/tick.json"))).isEqualTo("""
                {
                  "name": "tick",
                  "type": "SCHEDULED",
                  "config": {
                    "schedule": "* * * * *",
                    "b": 2,
                    "a": 1
                  },
                  "function_name": "f",
                  "disabled": false,
                  "alpha": true,
                  "zeta": 1
                }
                """);
        assertThat(Fixtures.text(dir.resolve("stitch.json"))).isEqualTo("""
                {
                  "app_id": "x-abcde",
                  "config_version": 20180301,
                  "name": "x"
                }
                """);
    }

    @Test
    void functionSourceIsWrittenExactlyAsHeld(@TempDir Path dir) throws IOException {
        String source = "// äöü \r\nexports = () => '\\u0000'; \t\n\n";
        AppModel app = app(Json.parse("{ \"name\": \"x\" }"), List.of(), List.of(new FunctionDef(Json.parse("{ \"name\": \"a/b\" }"), source)), Map.of());
        AppBundles.write(app, dir, WriteOptions.EXPORT);
        assertThat(Files.readAllBytes(dir.resolve("functions/a/b/source.js"))).isEqualTo(source.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void secretsJsonIsWrittenAsSortedNamesOnly(@TempDir Path dir) throws IOException {
        AppModel app = new AppModel(Json.parse("{ \"name\": \"x\" }"), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of("b", "a"), List.of(), List.of(), new TreeMap<>());
        AppBundles.write(app, dir, WriteOptions.EXPORT);
        assertThat(Fixtures.text(dir.resolve("secrets.json"))).isEqualTo("""
                {
                  "names": [
                    "a",
                    "b"
                  ]
                }
                """);
    }

    @Test
    void withoutSecretsOrEndpointsNeitherFileIsWritten(@TempDir Path dir) throws IOException {
        AppBundles.write(app(Json.parse("{ \"name\": \"x\" }"), List.of(), List.of(), Map.of()), dir, WriteOptions.EXPORT);
        assertThat(Fixtures.tree(dir).keySet()).containsExactly("stitch.json");
    }

    @Test
    void secretValuesNeverReachTheWrittenBundle(@TempDir Path dir) throws IOException {
        AppBundles.write(FULL.app(), dir, WriteOptions.EXPORT);
        assertThat(FULL.extractedSecrets()).isNotEmpty();
        for (var file : Fixtures.tree(dir).entrySet()) {
            String content = new String(file.getValue(), StandardCharsets.UTF_8);
            for (String value : FULL.extractedSecrets().values()) {
                assertThat(content).as(file.getKey()).doesNotContain(value);
            }
        }
        assertThat(Fixtures.text(dir.resolve("services/http/incoming_webhooks/find/config.json")))
                .contains("\"secret_name\": \"webhook.http.find\"").doesNotContain("\"secret\":");
    }

    @Test
    void templateLeavesOutDeploymentSpecificValues(@TempDir Path dir) throws IOException {
        AppModel v2 = Fixtures.read("realm-v2").app();
        AppBundles.write(v2, dir, WriteOptions.TEMPLATE);
        AppModel template = AppBundles.read(dir).app();
        assertThat(template.clientAppId()).isEqualTo("workerpool");
        assertThat(template.service("mongodb-atlas").orElseThrow().config().obj("config"))
                .isEqualTo(Json.parse("{ \"readPreference\": \"primary\", \"wireProtocolEnabled\": false }"));
        assertThat(template.environments()).map(e -> e.values().toString()).containsOnly("{}");
        assertThat(Json.parse(template.otherFiles().get("hosting/config.json"))).isEqualTo(Json.parse("{ \"enabled\": true }"));
        assertThat(template.functions()).isEqualTo(v2.functions());
    }

    @Test
    void templateDropsTheUriOfMongodbServicesAndTheStitchHostingDomain(@TempDir Path dir) throws IOException {
        AppBundles.write(FULL.app(), dir, WriteOptions.TEMPLATE);
        AppModel template = AppBundles.read(dir).app();
        assertThat(template.service("mongodb-local").orElseThrow().config().obj("config")).isEqualTo(Json.empty());
        assertThat(template.metadata().obj("hosting")).isEqualTo(Json.parse("{ \"enabled\": true, \"custom_domain\": \"\" }"));
        assertThat(template.clientAppId()).isEqualTo("todo");
        assertThat(template.service("twilio")).isEqualTo(FULL.app().service("twilio"));
    }

    @Test
    void writerRefusesANonEmptyDirectoryThatIsNotABundle(@TempDir Path dir) {
        Fixtures.write(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> AppBundles.write(FULL.app(), dir, WriteOptions.EXPORT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("not empty");
        assertThat(Fixtures.tree(dir).keySet()).containsExactly("notes.txt");
    }

    @Test
    void writerReplacesAnExistingBundleButKeepsGitAndBinaryFiles(@TempDir Path dir) throws IOException {
        Fixtures.write(dir.resolve("stitch.json"), "{ \"name\": \"old\" }");
        Fixtures.write(dir.resolve("functions/removed/config.json"), "{ \"name\": \"removed\" }");
        Fixtures.write(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(dir.resolve("hosting/files"));
        Files.write(dir.resolve("hosting/files/logo.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        AppModel app = app(Json.parse("{ \"name\": \"new\" }"), List.of(), List.of(), Map.of());
        AppBundles.write(app, dir, WriteOptions.EXPORT);
        assertThat(Fixtures.tree(dir).keySet()).containsExactly(".git/HEAD", "hosting/files/logo.png", "stitch.json");
        assertThat(Files.exists(dir.resolve("functions"))).isFalse();
    }

    @Test
    void aDirectoryHoldingOnlyGitCountsAsEmpty(@TempDir Path dir) throws IOException {
        Fixtures.write(dir.resolve(".git"), "gitdir: /elsewhere\n");
        AppBundles.write(app(Json.parse("{ \"name\": \"x\" }"), List.of(), List.of(), Map.of()), dir, WriteOptions.EXPORT);
        assertThat(Fixtures.tree(dir).keySet()).containsExactly(".git", "stitch.json");
    }

    @Test
    void namesThatWouldEscapeTheBundleAreRefused(@TempDir Path dir) {
        AppModel app = app(Json.parse("{ \"name\": \"x\" }"), List.of(new TriggerDef(Json.parse("{ \"name\": \"../../evil\" }"))), List.of(), Map.of());
        assertThatThrownBy(() -> AppBundles.write(app, dir.resolve("out"), WriteOptions.EXPORT))
                .isInstanceOf(IOException.class).hasMessageContaining("../../evil");
        AppModel other = app(Json.parse("{ \"name\": \"x\" }"), List.of(), List.of(), Map.of("../outside.txt", "x"));
        assertThatThrownBy(() -> AppBundles.write(other, dir.resolve("out"), WriteOptions.EXPORT))
                .isInstanceOf(IOException.class).hasMessageContaining("../outside.txt");
        assertThat(Files.exists(dir.resolve("evil"))).isFalse();
        assertThat(Files.exists(dir.resolve("outside.txt"))).isFalse();
    }

    @Test
    void anOtherFileCannotTakeThePathOfAFileTheModelWrites(@TempDir Path dir) {
        AppModel app = app(Json.parse("{ \"name\": \"x\" }"), List.of(), List.of(), Map.of("stitch.json", "{}"));
        assertThatThrownBy(() -> AppBundles.write(app, dir, WriteOptions.EXPORT))
                .isInstanceOf(IOException.class).hasMessageContaining("stitch.json");
    }

    private static AppModel app(Json metadata, List<TriggerDef> triggers, List<FunctionDef> functions, Map<String, String> otherFiles) {
        return new AppModel(metadata, List.of(), functions, List.of(), triggers, List.of(), List.of(), List.of(), List.of(),
                new TreeMap<>(otherFiles));
    }
}
