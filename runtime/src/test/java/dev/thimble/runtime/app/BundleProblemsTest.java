package dev.thimble.runtime.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad content never throws: each problem names file, field and reason, and reading goes on past it. */
class BundleProblemsTest {
    private static final LoadResult BROKEN = AppBundles.read(Fixtures.bundle("broken"));

    @Test
    void aDirectoryWithoutARootFileIsNotABundle(@TempDir Path dir) {
        Fixtures.write(dir.resolve("config.json"), "{ \"name\": \"no config_version\" }");
        LoadResult result = AppBundles.read(dir);
        assertThat(result.app()).isNull();
        assertThat(result.layout()).isNull();
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().getFirst().reason())
                .contains(dir.toString())
                .contains("root_config.json").contains("realm_config.json").contains("config.json (with config_version)").contains("stitch.json");
    }

    @Test
    void aMissingDirectoryIsAnErrorNotAnException(@TempDir Path dir) {
        LoadResult result = AppBundles.read(dir.resolve("nope"));
        assertThat(result.app()).isNull();
        assertThat(result.problems().getFirst().reason()).contains("nope").contains("not a directory");
    }

    @Test
    void everyProblemOfABrokenBundleIsReportedWithFileAndField() {
        assertThat(Fixtures.where(BROKEN)).containsExactly(
                "ERROR auth_providers/noType.json [type]",
                "ERROR functions/noSource/source.js []",
                "ERROR services/http/rules/badWhen.json [when]",
                "ERROR services/mongodb-atlas/rules/nodb.json [database]",
                "ERROR services/noConfig/config.json []",
                "ERROR triggers/badSyntax.json []",
                "ERROR values/escape.json [name]",
                "ERROR values/nameless.json [name]",
                "ERROR values/wrongType.json [from_secret]",
                "ERROR triggers/orphan.json [config.service_id]",
                "ERROR functions/ok/config.json []",
                "ERROR triggers/second.json []");
    }

    @Test
    void readingGoesOnPastBrokenEntitiesAndSkipsOnlyThem() {
        AppModel app = BROKEN.app();
        assertThat(app.name()).isEqualTo("broken");
        assertThat(app.authProviders()).isEmpty();
        assertThat(app.functions()).map(FunctionDef::source).containsExactly("exports = () => 2;\n");
        assertThat(app.services()).map(ServiceDef::name).containsExactly("http", "mongodb-atlas");
        assertThat(app.service("mongodb-atlas").orElseThrow().collectionRules()).map(CollectionRuleDef::namespace).containsExactly("shop.orders");
        assertThat(app.service("http").orElseThrow().serviceRules()).isEmpty();
        assertThat(app.triggers()).map(TriggerDef::name).containsExactly("dup", "orphan");
        assertThat(app.triggers().getFirst().config().obj("config").text("schedule")).isEqualTo("* * * * *");
        assertThat(app.values()).map(ValueDef::name).containsExactly("wrongType");
        assertThat(app.otherFiles()).isEmpty();
    }

    @Test
    void malformedJsonIsAnErrorNamingLineAndColumn() {
        Problem syntax = problemAt("triggers/badSyntax.json");
        assertThat(syntax.reason()).startsWith("not valid JSON at line 4, column 1:").endsWith("; fix the syntax");
    }

    @Test
    void aFunctionWithoutSourceJsIsSkippedWithAnErrorSayingWhatToAdd() {
        assertThat(problemAt("functions/noSource/source.js").reason())
                .isEqualTo("missing: every function needs its code in source.js next to config.json; the function is skipped");
    }

    @Test
    void aMissingRequiredFieldSaysWhichAndOfWhat() {
        assertThat(problemAt("services/mongodb-atlas/rules/nodb.json").reason())
                .isEqualTo("missing required field 'database' of the collection rule; add it (a string)");
        assertThat(problemAt("values/wrongType.json").reason()).isEqualTo("expected true or false, found a string");
    }

    @Test
    void aServiceRuleWhoseWhenStringDoesNotParseIsAnError() {
        assertThat(problemAt("services/http/rules/badWhen.json").reason()).startsWith("the string is not valid JSON");
    }

    @Test
    void duplicateNamesAreErrorsNamingTheFirstDefinition() {
        assertThat(problemAt("triggers/second.json").reason()).contains("duplicate trigger 'dup'").contains("triggers/first.json");
    }

    @Test
    void aNameThatCannotBeAFileNameIsAnError() {
        assertThat(problemAt("values/escape.json").reason()).contains("../escape").contains("skipped");
    }

    @Test
    void unknownFieldsAreWarningsAndSurviveARoundTrip(@TempDir Path dir) throws IOException {
        LoadResult read = Fixtures.read("unknown-fields");
        assertThat(Fixtures.where(read)).containsExactly(
                "WARNING stitch.json [x_team]",
                "WARNING functions/hello/config.json [x_owner]",
                "WARNING triggers/tick.json [x_note]");
        assertThat(read.problems()).allSatisfy(p -> assertThat(p.reason()).isEqualTo("unknown field, kept as is"));
        assertThat(read.hasErrors()).isFalse();

        AppBundles.write(read.app(), dir, WriteOptions.EXPORT);
        AppModel back = AppBundles.read(dir).app();
        assertThat(back.metadata().text("x_team")).isEqualTo("blue");
        assertThat(back.function("hello").orElseThrow().config().obj("x_owner"))
                .isEqualTo(Json.parse("{ \"email\": \"dev@example.com\", \"since\": 2019 }"));
        assertThat(back.triggers().getFirst().config().text("x_note")).isEqualTo("kept");
        assertThat(back.triggers().getFirst().config().obj("config").bool("x_nested", false)).isTrue();
    }

    @Test
    void aBrokenRootConfigIsAnErrorAndTheRestIsStillRead(@TempDir Path dir) {
        Fixtures.write(dir.resolve("stitch.json"), "{ \"name\": ");
        Fixtures.write(dir.resolve("values/v.json"), "{ \"name\": \"v\", \"value\": 1 }");
        LoadResult result = AppBundles.read(dir);
        assertThat(Fixtures.where(result)).containsExactly("ERROR stitch.json []");
        assertThat(result.app().values()).map(ValueDef::name).containsExactly("v");
    }

    @Test
    void aSecretsJsonValueForAComponentTheAppLacksIsIgnoredWithAWarning(@TempDir Path dir) {
        Fixtures.write(dir.resolve("stitch.json"), "{ \"name\": \"x\", \"app_id\": \"x-abcde\" }");
        Fixtures.write(dir.resolve("secrets.json"), "{ \"services\": { \"ghost\": { \"token\": \"VALUE\" } }, \"names\": [\"kept\"] }");
        LoadResult result = AppBundles.read(dir);
        assertThat(Fixtures.where(result)).containsExactly("WARNING secrets.json [services.ghost]", "WARNING secrets.json []");
        assertThat(result.extractedSecrets()).isEmpty();
        assertThat(result.app().secretNames()).containsExactly("kept");
    }

    @Test
    void aBinaryFileIsLeftOutWithAWarning(@TempDir Path dir) throws IOException {
        Fixtures.write(dir.resolve("stitch.json"), "{ \"name\": \"x\", \"app_id\": \"x-abcde\" }");
        Files.createDirectories(dir.resolve("functions"));
        Files.write(dir.resolve("functions/node_modules.tgz"), new byte[]{0x1f, (byte) 0x8b, 0, 0});
        LoadResult result = AppBundles.read(dir);
        assertThat(Fixtures.where(result)).containsExactly("WARNING functions/node_modules.tgz []");
        assertThat(result.app().otherFiles()).isEmpty();
    }

    private static Problem problemAt(String file) {
        return BROKEN.problems().stream().filter(p -> p.file().equals(file)).findFirst().orElseThrow();
    }
}
