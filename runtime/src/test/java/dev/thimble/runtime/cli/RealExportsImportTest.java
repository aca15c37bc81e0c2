package dev.thimble.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exports in every layout (Stitch 2018 with and without a client app id, Realm v1, realm-cli v2,
 * App Services root_config, a flexible-sync template) through the command line: import → validate →
 * export → import gives the same bundle, nothing is dropped, and no Java stack trace is printed.
 */
class RealExportsImportTest {
    static final List<String> FIXTURES = List.of("stitch-full", "stitch-2018-legacy", "realm-v1", "realm-v2", "app-services",
            "flex-sync-template");

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"stitch-full", "stitch-2018-legacy", "realm-v1", "realm-v2", "app-services", "flex-sync-template"})
    void importValidateExportImportGivesTheSameBundleAndDropsNothing(String fixture) {
        Path source = bundle(fixture);
        LoadResult read = AppBundles.read(source);
        assertThat(read.readErrors()).as("nothing of " + fixture + " is skipped while reading").isEmpty();

        CliRun imported = CliRun.of("import", source.toString(), "--out", temp.resolve("a").toString());
        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out() + imported.err()).doesNotContain("error:").doesNotContain("Exception").doesNotContain("\tat ");

        CliRun validated = CliRun.of("validate", temp.resolve("a").toString());
        assertThat(validated.exitCode()).as(validated.out()).isZero();
        assertThat(validated.out()).contains("valid (0 errors");

        CliRun exported = CliRun.of("export", temp.resolve("a").toString(), "--out", temp.resolve("b").toString());
        assertThat(exported.exitCode()).as(exported.out() + exported.err()).isZero();
        CliRun again = CliRun.of("import", temp.resolve("b").toString(), "--out", temp.resolve("c").toString());
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();

        assertThat(text(tree(temp.resolve("c")))).isEqualTo(text(tree(temp.resolve("a"))));
        // every entity of the export is in the imported bundle: the models agree (secret values aside, which move to the store)
        AppModel fromImport = AppBundles.read(temp.resolve("a")).app();
        assertThat(fromImport).isEqualTo(read.app());
        assertThat(fromImport.clientAppId()).isNotEmpty();
    }

    @Test
    void aStitchExportWithAnEmptyAppIdGetsOneDerivedFromItsNameAndNoStackTrace() {
        CliRun run = CliRun.of("import", bundle("stitch-2018-legacy").toString(), "--out", temp.resolve("a").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("warning: stitch.json [app_id]: no client app id; derived 'legacy-shop-")
                .contains("Imported Legacy Shop (STITCH_2018)");
        String id = AppBundles.read(temp.resolve("a")).app().clientAppId();
        assertThat(id).matches("legacy-shop-[a-z]{5}");
        assertThat(AppBundles.read(bundle("stitch-2018-legacy")).app().clientAppId()).as("the same name gives the same id").isEqualTo(id);
    }

    @Test
    void aStitchExportWithNoAppIdAndNoNameIsNamedAfterItsFolder() throws IOException {
        Path copy = copyOf("stitch-2018-legacy", "Corner Store");
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(copy.resolve("stitch.json").toFile());
        root.remove("app_id");
        root.remove("name");
        Files.writeString(copy.resolve("stitch.json"), root.toString());

        LoadResult read = AppBundles.read(copy);

        assertThat(read.app().clientAppId()).matches("corner-store-[a-z]{5}");
        assertThat(read.problems().stream().map(Object::toString).toList())
                .anyMatch(p -> p.startsWith("warning: stitch.json [app_id]: no client app id; derived 'corner-store-")
                        && p.contains("from the app's folder name"));
    }

    @Test
    void appIdChoosesTheClientAppIdOfTheImport() {
        CliRun run = CliRun.of("import", bundle("stitch-2018-legacy").toString(), "--out", temp.resolve("a").toString(),
                "--app-id", "shop-abcde");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).doesNotContain("derived");
        assertThat(AppBundles.read(temp.resolve("a")).app().clientAppId()).isEqualTo("shop-abcde");
    }

    @Test
    void anAppIdThatCannotNameAFolderIsAnErrorNotAStackTrace() throws IOException {
        Path copy = copyOf("stitch-full", "spaced");
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(copy.resolve("stitch.json").toFile());
        root.put("app_id", "my app/1");
        Files.writeString(copy.resolve("stitch.json"), root.toString());

        CliRun validate = CliRun.of("validate", copy.toString());
        CliRun imported = CliRun.of("import", copy.toString(), "--out", temp.resolve("a").toString());
        CliRun chosen = CliRun.of("import", copy.toString(), "--out", temp.resolve("b").toString(), "--app-id", "../x");

        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("error: stitch.json [app_id]: app_id \"my app/1\" cannot name the app's folder");
        assertThat(imported.exitCode()).isEqualTo(1);
        assertThat(imported.err()).contains("Choose one with --app-id ID").doesNotContain("\tat ");
        assertThat(chosen.exitCode()).isEqualTo(1);
        assertThat(chosen.err()).contains("--app-id ../x cannot name the app's folder");
        assertThat(temp.resolve("a")).doesNotExist();
    }

    @Test
    void the2018WebhookSecretFormIsMappedToItsValidationMethod() {
        LoadResult read = AppBundles.read(bundle("stitch-2018-legacy"));
        JsonNode options = read.app().service("http").orElseThrow().webhooks().stream()
                .filter(w -> w.name().equals("find")).findFirst().orElseThrow().config().get("options");

        assertThat(options.toString()).isEqualTo("{\"httpMethod\":\"GET\",\"validationMethod\":\"SECRET_AS_QUERY_PARAM\","
                + "\"secret_name\":\"webhook.http.find\"}");
        assertThat(read.extractedSecrets()).containsEntry("webhook.http.find", "QUERY-SECRET-VALUE");
    }

    @Test
    void anEntityThatCannotBeTakenStopsTheImportAndNothingIsWritten() throws IOException {
        Path copy = copyOf("app-services", "broken-fn");
        // a private function whose source file is missing: reading cannot take it
        Files.writeString(copy.resolve("functions/config.json"),
                "[ { \"name\": \"login\", \"private\": true }, { \"name\": \"notes/summarise\", \"private\": false },"
                        + " { \"name\": \"cleanup\", \"private\": true } ]");

        CliRun run = CliRun.of("import", copy.toString(), "--out", temp.resolve("a").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error: functions/config.json [[2].name]: the function 'cleanup' has no source file");
        assertThat(run.err()).contains("1 part of it could not be taken as written").contains("Nothing was written");
        assertThat(temp.resolve("a")).doesNotExist();
    }

    @Test
    void importValidateAndServeSayWhichPartsAreKeptButNotServed() {
        CliRun imported = CliRun.of("import", bundle("realm-v2").toString(), "--out", temp.resolve("a").toString());
        CliRun validated = CliRun.of("validate", temp.resolve("a").toString(), "--json");

        assertThat(imported.out()).contains("Kept but not served by Thimble (see the warnings above): GraphQL, Device Sync,"
                + " Static hosting, Log forwarders");
        assertThat(validated.out()).contains("\"file\" : \"graphql/config.json\"")
                .contains("GraphQL (graphql/config.json and 1 more file): kept as it is and exported again, but not served.")
                .contains("Device Sync (sync/config.json): kept as it is and exported again, but not served.");
    }

    @Test
    void validateChecksTheFunctionOfEachGraphQlCustomResolver() throws IOException {
        Path copy = copyOf("flex-sync-template", "resolver");
        Files.writeString(copy.resolve("graphql/custom_resolvers/query_itemCount.json"),
                "{ \"on_type\": \"Query\", \"field_name\": \"itemCount\", \"function_name\": \"countItem\" }");

        CliRun run = CliRun.of("validate", copy.toString());

        assertThat(run.out()).contains("warning: graphql/custom_resolvers/query_itemCount.json [function_name]: custom resolver"
                + " Query.itemCount: function \"countItem\" does not exist");
    }

    @Test
    void binaryFilesOfAFolderImportAreCopiedAsTheyAre() throws IOException {
        Path copy = copyOf("stitch-full", "with-logo");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'};
        Files.write(copy.resolve("hosting/files/logo.png"), png);

        CliRun run = CliRun.of("import", copy.toString(), "--out", temp.resolve("a").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Copied 1 binary file(s) as they are (hosting/files/logo.png)");
        assertThat(Files.readAllBytes(temp.resolve("a/hosting/files/logo.png"))).isEqualTo(png);
    }

    @Test
    void validateChecksTheDataApiConfig() throws IOException {
        Path copy = copyOf("app-services", "data-api");
        Files.writeString(copy.resolve("https_endpoints/data_api_config.json"),
                "{\"disabled\": false, \"versions\": [\"v2\"], \"return_type\": \"XML\", \"validation_method\": \"SECRET_AS_QUERY_PARAM\"}");

        CliRun run = CliRun.of("validate", copy.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error: http_endpoints/data_api_config.json [versions[0]]: unknown Data API version \"v2\"")
                .contains("error: http_endpoints/data_api_config.json [return_type]: unknown return type \"XML\"")
                .contains("error: http_endpoints/data_api_config.json [secret_name]: SECRET_AS_QUERY_PARAM needs \"secret_name\"");
    }

    @Test
    void theFlexibleSyncTemplatesDefaultRuleDecidesForItsOnlyCollection() throws IOException {
        Path c = temp.resolve("case.json");
        Files.writeString(c, "{\"name\": \"owner reads an item\", \"user\": {\"id\": \"u1\"}, \"namespace\": \"todo.Item\","
                + " \"action\": \"read\", \"document\": {\"_id\": {\"$oid\": \"65b0000000000000000000a1\"}, \"owner_id\": \"u2\","
                + " \"summary\": \"milk\"}}");

        CliRun run = CliRun.of("rules", "eval", bundle("flex-sync-template").toString(), "--case", c.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("READ todo.Item: ALLOWED by role \"readAllWriteOwn\"");
    }

    @Test
    void theLocationRouteFollowsTheProviderRegion() {
        assertThat(AppBundles.read(bundle("flex-sync-template")).app().location()).isEqualTo("IE");
        assertThat(AppBundles.read(bundle("stitch-full")).app().location()).isEqualTo("US-VA");
    }

    // ---- helpers -------------------------------------------------------------------------------

    static Path bundle(String name) {
        try {
            return Path.of(RealExportsImportTest.class.getResource("/bundles/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path copyOf(String fixture, String folder) throws IOException {
        Path from = bundle(fixture);
        Path to = temp.resolve("src").resolve(folder);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static SortedMap<String, byte[]> tree(Path root) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                List<String> parts = new ArrayList<>();
                root.relativize(p).forEach(part -> parts.add(part.toString()));
                files.put(String.join("/", parts), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static SortedMap<String, String> text(SortedMap<String, byte[]> tree) {
        SortedMap<String, String> out = new TreeMap<>();
        tree.forEach((k, v) -> out.put(k, new String(v, java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

}
