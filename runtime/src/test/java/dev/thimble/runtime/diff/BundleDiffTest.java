package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.WriteOptions;
import dev.thimble.runtime.diff.Change.Kind;
import dev.thimble.runtime.diff.Change.Subject;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The semantic diff on pairs of bundles: a copy of an example app and an edited copy. */
class BundleDiffTest {
    @TempDir
    Path temp;

    private Path todoBefore;
    private Path todoAfter;

    private void todoPair() {
        todoBefore = TestApps.copy(TestApps.TODO, temp.resolve("before/todo"));
        todoAfter = TestApps.copy(TestApps.TODO, temp.resolve("after/todo"));
    }

    private Path[] clinicPair() {
        return new Path[]{TestApps.copy(TestApps.CLINIC, temp.resolve("before/clinic")),
                TestApps.copy(TestApps.CLINIC, temp.resolve("after/clinic"))};
    }

    private static void edit(Path file, String old, String replacement) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("%s holds the text to edit", file).contains(old);
        Files.writeString(file, text.replace(old, replacement));
    }

    private static List<String> summaries(BundleChanges changes) {
        return changes.changes().stream().map(Change::summary).toList();
    }

    // ---- equal apps -----------------------------------------------------------------------------

    @Test
    void copiesOfTheSameAppHaveNoChanges() throws Exception {
        todoPair();
        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(changes.changes()).isEmpty();
        assertThat(changes.toText()).isEqualTo("no changes" + System.lineSeparator());
        assertThat(changes.toJson().get("equal").asBoolean()).isTrue();
    }

    @Test
    void theSameAppAsAnExportedZipWithOtherIdsAndKeyOrderIsEqual() throws Exception {
        todoPair();
        Path zip = temp.resolve("todo-export.zip");
        AppBundles.writeZip(AppBundles.read(todoBefore).app(), zip, WriteOptions.EXPORT);
        edit(todoAfter.resolve("functions/addItem/config.json"), "\"id\": \"65a000000000000000000011\",\n  \"name\": \"addItem\",",
                "\"name\": \"addItem\",\n  \"id\": \"77a000000000000000000099\",");

        assertThat(BundleDiff.between(zip, todoAfter).changes()).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"realm-v1", "realm-v2", "app-services", "stitch-2018-legacy"})
    void anExportInAnotherLayoutEqualsItsStitchLayoutImport(String fixture) throws Exception {
        Path export = Path.of("src/test/resources/bundles", fixture);
        Path imported = temp.resolve("imported-" + fixture);
        AppBundles.write(AppBundles.read(export).app(), imported, WriteOptions.EXPORT);

        assertThat(summaries(BundleDiff.between(export, imported))).isEmpty();
    }

    // ---- functions -------------------------------------------------------------------------------

    @Test
    void aFunctionMovedToANewNameWithTheSameSourceIsARename() throws Exception {
        todoPair();
        Files.move(todoAfter.resolve("functions/addItem"), todoAfter.resolve("functions/insertItem"));
        edit(todoAfter.resolve("functions/insertItem/config.json"), "\"name\": \"addItem\"", "\"name\": \"insertItem\"");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(changes.changes()).singleElement().satisfies(change -> {
            assertThat(change.subject()).isEqualTo(Subject.FUNCTION);
            assertThat(change.kind()).isEqualTo(Kind.RENAMED);
            assertThat(change.name()).isEqualTo("addItem");
            assertThat(change.summary()).isEqualTo("function `addItem` renamed to `insertItem` (same source and settings)");
        });
    }

    @Test
    void aRenamedFunctionWhoseSettingsChangedTooIsARenameWithTheSettingChanges() throws Exception {
        todoPair();
        Files.move(todoAfter.resolve("functions/addItem"), todoAfter.resolve("functions/insertItem"));
        edit(todoAfter.resolve("functions/insertItem/config.json"), "\"name\": \"addItem\"", "\"name\": \"insertItem\"");
        edit(todoAfter.resolve("functions/insertItem/config.json"), "\"private\": false", "\"private\": true");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "function `addItem` renamed to `insertItem` (same source)",
                "function `insertItem` becomes private: clients can no longer call it");
    }

    @Test
    void aFunctionMovedToANewNameWithOtherSourceIsRemovedAndAdded() throws Exception {
        todoPair();
        Files.move(todoAfter.resolve("functions/addItem"), todoAfter.resolve("functions/insertItem"));
        edit(todoAfter.resolve("functions/insertItem/config.json"), "\"name\": \"addItem\"", "\"name\": \"insertItem\"");
        Files.writeString(todoAfter.resolve("functions/insertItem/source.js"), "exports = function() { return 1; };\n");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "function `addItem` removed (clients may call it)",
                "function `insertItem` added (clients may call it)");
    }

    @Test
    void functionSettingsAndSourceChangesSayWhatTheyMeanForCallers() throws Exception {
        todoPair();
        Path config = todoAfter.resolve("functions/addItem/config.json");
        edit(config, "\"private\": false", "\"private\": true");
        edit(config, "\"run_as_system\": false", "\"run_as_system\": true");
        edit(config, "\"disable_arg_logs\": false", "\"disable_arg_logs\": true");
        Path source = todoAfter.resolve("functions/addItem/source.js");
        Files.writeString(source, Files.readString(source) + "// one more line\n// and another\n");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "function `addItem` becomes private: clients can no longer call it",
                "function `addItem` now runs as system: the rules no longer apply to what it does",
                "function `addItem`: `disable_arg_logs` false → true",
                "function `addItem`: source changed (2 lines added, 0 removed)");
        assertThat(changes.of(Subject.FUNCTION)).extracting(Change::field)
                .containsExactly("private", "run_as_system", "disable_arg_logs", "source");
    }

    @Test
    void canEvaluateChangesAreToldAsWhoMayCall() throws Exception {
        todoPair();
        edit(todoAfter.resolve("functions/addItem/config.json"), "\"can_evaluate\": {}", "\"can_evaluate\": {\"%%user.data.email\": \"a@b.c\"}");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "function `addItem`: who may call it changed: can_evaluate {} → {\"%%user.data.email\":\"a@b.c\"}");
    }

    // ---- rules -----------------------------------------------------------------------------------

    @Test
    void aRoleGainingAFieldGainsReadOnIt() throws Exception {
        Path[] clinic = clinicPair();
        edit(clinic[1].resolve("services/mongodb-atlas/rules/clinic.patients.json"),
                "\"allergies\": {\n          \"read\": true\n        },",
                "\"allergies\": {\n          \"read\": true\n        },\n        \"diagnosis\": {\n          \"read\": true\n        },");

        BundleChanges changes = BundleDiff.between(clinic[0], clinic[1]);

        assertThat(changes.changes()).singleElement().satisfies(change -> {
            assertThat(change.subject()).isEqualTo(Subject.RULE);
            assertThat(change.name()).isEqualTo("mongodb-atlas/clinic.patients");
            assertThat(change.field()).isEqualTo("roles.nurse.fields.diagnosis.read");
            assertThat(change.summary()).isEqualTo("`clinic.patients`: role `nurse` gains read on `diagnosis`");
        });
        assertThat(changes.toText()).isEqualTo(String.join(System.lineSeparator(),
                "rules", "  ~ `clinic.patients`: role `nurse` gains read on `diagnosis`", "1 change", ""));
    }

    @Test
    void aNestedFieldIsNamedByItsPathAndConditionalGrantsSayWhen() throws Exception {
        Path[] clinic = clinicPair();
        edit(clinic[1].resolve("services/mongodb-atlas/rules/clinic.patients.json"),
                "\"waiting_since\": {\n          \"read\": true\n        }",
                "\"waiting_since\": {\n          \"read\": true\n        },\n        \"address\": {\n          \"fields\": {\n"
                        + "            \"city\": { \"read\": true },\n            \"street\": { \"read\": { \"%%user.custom_data.ward\": \"emergency\" } }\n"
                        + "          }\n        }");

        assertThat(summaries(BundleDiff.between(clinic[0], clinic[1]))).containsExactly(
                "`clinic.patients`: role `administrator` gains read on `address.city`",
                "`clinic.patients`: role `administrator` gains read on `address.street` when {\"%%user.custom_data.ward\":\"emergency\"}");
    }

    @Test
    void writeImpliesReadAndDocumentLevelPermissionsCoverEveryField() throws Exception {
        Path[] clinic = clinicPair();
        Path rules = clinic[1].resolve("services/mongodb-atlas/rules/clinic.patients.json");
        // nurse: allergies becomes writable (it was readable: read stays as it was); doctor: document-level write becomes false
        edit(rules, "\"allergies\": {\n          \"read\": true\n        }", "\"allergies\": {\n          \"write\": true\n        }");
        edit(rules, "\"write\": {\n        \"doctor_id\": \"%%user.id\"\n      },", "\"write\": false,");

        assertThat(summaries(BundleDiff.between(clinic[0], clinic[1]))).containsExactly(
                "`clinic.patients`: role `doctor` loses write on every field",
                "`clinic.patients`: role `nurse` gains write on `allergies`");
    }

    @Test
    void rolesAddedRemovedReorderedAndChangedInWhenTheyApply() throws Exception {
        Path[] clinic = clinicPair();
        Path rules = clinic[1].resolve("services/mongodb-atlas/rules/clinic.staff.json");
        String text = Files.readString(rules);
        String admin = text.substring(text.indexOf("    {\n      \"name\": \"administrator\""), text.indexOf("    {\n      \"name\": \"self\""));
        String self = text.substring(text.indexOf("    {\n      \"name\": \"self\""), text.indexOf("  ],\n  \"filters\""));
        String reordered = self.stripTrailing() + ",\n" + admin.stripTrailing().replaceAll(",$", "")
                .replace("\"%%user.custom_data.role\": \"admin\"", "\"%%user.custom_data.role\": \"manager\"") + ",\n"
                + "    { \"name\": \"auditor\", \"apply_when\": { \"%%user.custom_data.role\": \"auditor\" }, \"read\": true, \"write\": false,"
                + " \"insert\": false, \"delete\": false }\n";
        Files.writeString(rules, text.replace(admin + self, reordered));

        assertThat(summaries(BundleDiff.between(clinic[0], clinic[1]))).containsExactly(
                "`clinic.staff`: role `auditor` added at position 3 of 3 (applies when {\"%%user.custom_data.role\":\"auditor\"})",
                "`clinic.staff`: roles reordered: `administrator` and `self` → `self` and `administrator` (a document gets the first role that applies)",
                "`clinic.staff`: role `administrator` now applies when {\"%%user.custom_data.role\":\"manager\"} (was when {\"%%user.custom_data.role\":\"admin\"})");
    }

    @Test
    void aRoleRenamedWithTheSamePermissionsIsARename() throws Exception {
        Path[] clinic = clinicPair();
        edit(clinic[1].resolve("services/mongodb-atlas/rules/clinic.staff.json"), "\"name\": \"self\"", "\"name\": \"ownProfile\"");

        BundleChanges changes = BundleDiff.between(clinic[0], clinic[1]);

        assertThat(summaries(changes)).containsExactly("`clinic.staff`: role `self` renamed to `ownProfile` (same permissions)");
        assertThat(changes.changes().getFirst().field()).isEqualTo("roles.self.name");
    }

    @Test
    void insertDeleteFiltersAndSchemaChanges() throws Exception {
        todoPair();
        Path rules = todoAfter.resolve("services/mongodb-atlas/rules/todo.items.json");
        edit(rules, "\"insert\": true,", "\"insert\": { \"list_id\": { \"$exists\": true } },");
        edit(rules, "\"delete\": true,", "\"delete\": false,");
        edit(rules, "\"query\": {\n        \"owner_id\": \"%%user.id\"\n      }", "\"query\": {\n        \"owner_id\": \"%%user.id\", \"done\": false\n      }");
        edit(rules, "\"done\": {\n        \"bsonType\": \"bool\"\n      },", "\"done\": {\n        \"bsonType\": \"bool\"\n      },\n"
                + "      \"priority\": {\n        \"bsonType\": \"int\"\n      },");
        edit(rules, "\"text\": {\n        \"bsonType\": \"string\"\n      }", "\"text\": {\n        \"bsonType\": \"string\", \"maxLength\": 200\n      }");
        edit(rules, "\"required\": [\n      \"owner_id\",\n      \"text\"\n    ]", "\"required\": [\n      \"owner_id\",\n      \"text\",\n      \"list_id\"\n    ]");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "`todo.items`: role `owner`: insert permission now only when {\"list_id\":{\"$exists\":true}} (was always)",
                "`todo.items`: role `owner` loses delete permission",
                "`todo.items`: filter `only my items`: `query.done` now set to false",
                "`todo.items`: schema of `text`: `maxLength` now 200",
                "`todo.items`: schema: field `priority` added ({\"bsonType\":\"int\"})",
                "`todo.items`: schema: `list_id` now required");
    }

    @Test
    void aCollectionRuleAndADefaultRuleAddedAndRemoved() throws Exception {
        todoPair();
        Files.delete(todoAfter.resolve("services/mongodb-atlas/rules/todo.users.json"));
        Files.writeString(todoAfter.resolve("services/mongodb-atlas/default_rule.json"),
                "{ \"roles\": [ { \"name\": \"readAll\", \"apply_when\": {}, \"read\": true, \"write\": false } ], \"filters\": [] }");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "`todo.users`: rules removed; the default rule of `mongodb-atlas` applies to it now",
                "default rule of `mongodb-atlas`: rules added (roles, first match wins: `readAll`)");
        assertThat(changes.changes()).extracting(Change::name).containsExactly("mongodb-atlas/todo.users", "mongodb-atlas/default");
    }

    @Test
    void aCollectionLosingItsRulesWithoutADefaultRuleBecomesUnreachable() throws Exception {
        todoPair();
        Files.delete(todoAfter.resolve("services/mongodb-atlas/rules/todo.lists.json"));

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "`todo.lists`: rules removed; clients can no longer reach it (there is no default rule)");
    }

    // ---- triggers --------------------------------------------------------------------------------

    @Test
    void aChangedTriggerMatchAndOperationTypesSayWhenItFires() throws Exception {
        todoPair();
        Path trigger = todoAfter.resolve("triggers/onNewItem.json");
        edit(trigger, "\"match\": {}", "\"match\": { \"fullDocument.done\": false }");
        edit(trigger, "\"INSERT\"", "\"INSERT\", \"UPDATE\"");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "trigger `onNewItem` now also fires on update",
                "trigger `onNewItem` now fires only for changes matching {\"fullDocument.done\":false} (was every change)");
        assertThat(changes.of(Subject.TRIGGER)).extracting(Change::field).containsExactly("config.operation_types", "config.match");
    }

    @Test
    void triggerFunctionCollectionDisabledScheduleAndRenames() throws Exception {
        todoPair();
        Path trigger = todoAfter.resolve("triggers/onNewItem.json");
        edit(trigger, "\"function_name\": \"onItemInserted\"", "\"function_name\": \"itemsDueSoon\"");
        edit(trigger, "\"collection\": \"items\"", "\"collection\": \"lists\"");
        edit(trigger, "\"disabled\": false", "\"disabled\": true");
        Files.move(todoAfter.resolve("triggers/onUserCreated.json"), todoAfter.resolve("triggers/welcome.json"));
        edit(todoAfter.resolve("triggers/welcome.json"), "\"name\": \"onUserCreated\"", "\"name\": \"welcome\"");
        String nightly = "{ \"name\": \"nightly\", \"type\": \"SCHEDULED\", \"config\": { \"schedule\": \"0 2 * * *\" },"
                + " \"function_name\": \"itemsDueSoon\", \"disabled\": false }";
        Files.writeString(todoBefore.resolve("triggers/nightly.json"), nightly);
        Files.writeString(todoAfter.resolve("triggers/nightly.json"), nightly.replace("0 2 * * *", "30 3 * * 1"));

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "trigger `onUserCreated` renamed to `welcome` (same settings)",
                "trigger `nightly` now runs on schedule \"30 3 * * 1\" (was \"0 2 * * *\")",
                "trigger `onNewItem` is now disabled: it no longer fires",
                "trigger `onNewItem` now runs `itemsDueSoon` instead of `onItemInserted`",
                "trigger `onNewItem` now watches `todo.lists` (was `todo.items`)");
    }

    @Test
    void anAuthTriggerGainsAProvider() throws Exception {
        todoPair();
        edit(todoAfter.resolve("triggers/onUserCreated.json"), "\"local-userpass\"", "\"local-userpass\", \"api-key\"");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "trigger `onUserCreated` now also fires for users of `api-key`");
    }

    // ---- values and secrets ----------------------------------------------------------------------

    @Test
    void valuesAddedRemovedAndChanged() throws Exception {
        todoPair();
        edit(todoAfter.resolve("values/maxItemLength.json"), "\"value\": 200", "\"value\": 500");
        Files.delete(todoAfter.resolve("values/appTitle.json"));
        Files.writeString(todoAfter.resolve("values/supportEmail.json"), "{ \"name\": \"supportEmail\", \"value\": \"help@example.com\" }");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "value `appTitle` removed",
                "value `supportEmail` added: \"help@example.com\"",
                "value `maxItemLength` now 500 (was 200)");
        Change changed = changes.of(Subject.VALUE).get(2);
        assertThat(changed.before().asInt()).isEqualTo(200);
        assertThat(changed.after().asInt()).isEqualTo(500);
    }

    @Test
    void aValueRenamedWithTheSameValueIsARename() throws Exception {
        todoPair();
        Files.move(todoAfter.resolve("values/appTitle.json"), todoAfter.resolve("values/title.json"));
        edit(todoAfter.resolve("values/title.json"), "\"name\": \"appTitle\"", "\"name\": \"title\"");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly("value `appTitle` renamed to `title` (same value)");
    }

    @Test
    void aSecretValueChangeShowsOnlyTheSecretsName() throws Exception {
        todoPair();
        Path webhook = "services/inbox/incoming_webhooks/newItem/config.json".transform(todoBefore::resolve);
        edit(webhook, "\"secret_name\": \"inboxWebhookSecret\"", "\"secret_name\": \"inboxWebhookSecret\", \"secret\": \"OLD-s3cret-value-1234\"");
        edit(todoAfter.resolve("services/inbox/incoming_webhooks/newItem/config.json"), "\"secret_name\": \"inboxWebhookSecret\"",
                "\"secret_name\": \"inboxWebhookSecret\", \"secret\": \"NEW-s3cret-value-5678\"");
        edit(todoAfter.resolve("secrets.json"), "\"inboxWebhookSecret\"", "\"inboxWebhookSecret\",\n    \"slackToken\"");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "secret `slackToken` added",
                "secret `inboxWebhookSecret`: value changed (values are not shown)");
        assertThat(changes.of(Subject.SECRET)).allSatisfy(c -> {
            assertThat(c.before()).isNull();
            assertThat(c.after()).isNull();
        });
        assertThat(changes.toText() + changes.toJsonText()).doesNotContain("s3cret");
    }

    // ---- providers, services, webhooks, endpoints, settings --------------------------------------

    @Test
    void authProvidersEnabledDisabledConfiguredAndSecretConfigByNameOnly() throws Exception {
        todoPair();
        edit(todoAfter.resolve("auth_providers/api-key.json"), "\"disabled\": false", "\"disabled\": true");
        Path userpass = todoAfter.resolve("auth_providers/local-userpass.json");
        edit(userpass, "\"autoConfirm\": true", "\"autoConfirm\": false");
        Files.writeString(todoBefore.resolve("auth_providers/custom-token.json"), "{ \"name\": \"custom-token\", \"type\": \"custom-token\","
                + " \"disabled\": false, \"config\": { \"audience\": \"a\" }, \"secret_config\": { \"signingKeys\": [\"jwtKeyOne\"] } }");
        Files.writeString(todoAfter.resolve("auth_providers/custom-token.json"), "{ \"name\": \"custom-token\", \"type\": \"custom-token\","
                + " \"disabled\": false, \"config\": { \"audience\": \"a\" }, \"secret_config\": { \"signingKeys\": [\"jwtKeyTwo\"] } }");
        Files.writeString(todoAfter.resolve("auth_providers/anon-user.json"), "{ \"name\": \"anon-user\", \"type\": \"anon-user\", \"disabled\": true }");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "auth provider `anon-user` is now disabled: users can no longer log in with it",
                "auth provider `api-key` is now disabled: users can no longer log in with it",
                "auth provider `custom-token`: `secret_config.signingKeys` changed (secret settings are not shown)",
                "auth provider `local-userpass`: `config.autoConfirm` true → false",
                "secret `jwtKeyOne` removed",
                "secret `jwtKeyTwo` added");
        assertThat(changes.of(Subject.AUTH_PROVIDER).get(2).before()).isNull();
    }

    @Test
    void servicesTheirRulesAndWebhooks() throws Exception {
        todoPair();
        Path rule = todoAfter.resolve("services/inbox/rules/notifyChat.json");
        edit(rule, "\"post\"", "\"post\", \"get\"");
        edit(rule, "\"chat.example.com\"", "\"chat.example.com\", \"hooks.example.org\"");
        Path hook = todoAfter.resolve("services/inbox/incoming_webhooks/newItem/config.json");
        edit(hook, "\"httpMethod\": \"POST\"", "\"httpMethod\": \"PUT\"");
        Path source = todoAfter.resolve("services/inbox/incoming_webhooks/newItem/source.js");
        Files.writeString(source, "// reworked\n" + Files.readString(source));
        edit(todoAfter.resolve("services/mongodb-atlas/config.json"), "\"readPreference\": \"primary\"", "\"readPreference\": \"secondary\"");
        TestApps.copy(todoAfter.resolve("services/inbox"), todoAfter.resolve("services/outbox"));
        edit(todoAfter.resolve("services/outbox/config.json"), "\"name\": \"inbox\"", "\"name\": \"outbox\"");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "service `outbox` (http) added with incoming webhooks `newItem`",
                "service `inbox`: rule `notifyChat` now also allows `get`",
                "service `inbox`: rule `notifyChat` now allows calls when {\"%%args.url.host\":{\"%in\":[\"chat.example.com\",\"hooks.example.org\"]}}"
                        + " (was when {\"%%args.url.host\":{\"%in\":[\"chat.example.com\"]}})",
                "service `mongodb-atlas`: `config.readPreference` \"primary\" → \"secondary\"",
                "incoming webhook `newItem` of `inbox`: `options.httpMethod` \"POST\" → \"PUT\"",
                "incoming webhook `newItem` of `inbox`: source changed (1 line added, 0 removed)");
    }

    @Test
    void aWebhookRenamedWithTheSameSourceAndSettingsIsARenameThatMovesItsUrl() throws Exception {
        todoPair();
        Files.move(todoAfter.resolve("services/inbox/incoming_webhooks/newItem"), todoAfter.resolve("services/inbox/incoming_webhooks/addItem"));
        edit(todoAfter.resolve("services/inbox/incoming_webhooks/addItem/config.json"), "\"name\": \"newItem\"", "\"name\": \"addItem\"");

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "incoming webhook `newItem` of `inbox` renamed to `addItem` (same source and settings): its URL changes");
        assertThat(changes.changes().getFirst().name()).isEqualTo("inbox/newItem");
    }

    @Test
    void httpsEndpointsByMethodAndRoute() throws Exception {
        todoPair();
        Files.createDirectories(todoBefore.resolve("http_endpoints"));
        Files.createDirectories(todoAfter.resolve("http_endpoints"));
        Files.writeString(todoBefore.resolve("http_endpoints/config.json"), "[ { \"route\": \"/items\", \"http_method\": \"GET\","
                + " \"function_name\": \"itemsDueSoon\", \"validation_method\": \"NO_VALIDATION\", \"respond_result\": true, \"disabled\": false },"
                + " { \"route\": \"/old\", \"http_method\": \"POST\", \"function_name\": \"addItem\", \"validation_method\": \"NO_VALIDATION\" } ]");
        Files.writeString(todoAfter.resolve("http_endpoints/config.json"), "[ { \"route\": \"/items\", \"http_method\": \"GET\","
                + " \"function_name\": \"addItem\", \"validation_method\": \"SECRET_AS_QUERY_PARAM\", \"secret_name\": \"inboxWebhookSecret\","
                + " \"respond_result\": true, \"disabled\": false },"
                + " { \"route\": \"/new\", \"http_method\": \"POST\", \"function_name\": \"addItem\", \"validation_method\": \"NO_VALIDATION\" } ]");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "HTTPS endpoint `POST /old` removed: it no longer answers",
                "HTTPS endpoint `POST /new` added: runs `addItem`",
                "HTTPS endpoint `GET /items` now runs `addItem` instead of `itemsDueSoon`",
                "HTTPS endpoint `GET /items`: `validation_method` \"NO_VALIDATION\" → \"SECRET_AS_QUERY_PARAM\"",
                "HTTPS endpoint `GET /items`: `secret_name` now set to \"inboxWebhookSecret\"");
    }

    @Test
    void appSettingsAllowedOriginsAndKeptFiles() throws Exception {
        todoPair();
        Path root = todoAfter.resolve("stitch.json");
        edit(root, "\"http://localhost:3000\"", "\"https://todo.example.com\"");
        edit(root, "\"location\": \"US-VA\"", "\"location\": \"IE\"");
        Files.createDirectories(todoAfter.resolve("graphql"));
        Files.writeString(todoAfter.resolve("graphql/config.json"), "{ \"use_natural_pluralization\": true }\n");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "browsers at `https://todo.example.com` may now call the app",
                "browsers at `http://localhost:3000` may no longer call the app",
                "app settings: `location` \"US-VA\" → \"IE\"",
                "file `graphql/config.json` added");
    }

    @Test
    void environmentValuesAddedAndChanged() throws Exception {
        todoPair();
        Files.createDirectories(todoBefore.resolve("environments"));
        Files.createDirectories(todoAfter.resolve("environments"));
        Files.writeString(todoBefore.resolve("environments/production.json"), "{ \"values\": { \"apiBase\": \"https://api.example.com\" } }");
        Files.writeString(todoAfter.resolve("environments/production.json"), "{ \"values\": { \"apiBase\": \"https://api2.example.com\" } }");
        Files.writeString(todoAfter.resolve("environments/testing.json"), "{ \"values\": {} }");

        assertThat(summaries(BundleDiff.between(todoBefore, todoAfter))).containsExactly(
                "environment `testing` added",
                "environment `production`: `values.apiBase` \"https://api.example.com\" → \"https://api2.example.com\"");
    }

    @Test
    void filtersAddedAndRemoved() throws Exception {
        Path[] clinic = clinicPair();
        Path rules = clinic[1].resolve("services/mongodb-atlas/rules/clinic.patients.json");
        edit(rules, "\"name\": \"a nurse's ward\"", "\"name\": \"a nurse's own ward\"");

        assertThat(summaries(BundleDiff.between(clinic[0], clinic[1]))).containsExactly(
                "`clinic.patients`: filter `a nurse's ward` removed: queries are no longer narrowed by {\"ward\":\"%%user.custom_data.ward\"}",
                "`clinic.patients`: filter `a nurse's own ward` added: applies when {\"%%user.custom_data.role\":\"nurse\"},"
                        + " narrows queries by {\"ward\":\"%%user.custom_data.ward\"}");
    }

    @Test
    void binaryFilesAreComparedByTheirBytes() throws Exception {
        todoPair();
        Files.createDirectories(todoBefore.resolve("hosting/files"));
        Files.createDirectories(todoAfter.resolve("hosting/files"));
        Files.write(todoBefore.resolve("hosting/files/logo.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Files.write(todoAfter.resolve("hosting/files/logo.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 3});
        Files.write(todoBefore.resolve("hosting/files/old.bin"), new byte[]{0, 0});
        Files.write(todoAfter.resolve("hosting/files/new.bin"), new byte[]{0, 1});

        BundleChanges changes = BundleDiff.between(todoBefore, todoAfter);

        assertThat(summaries(changes)).containsExactly(
                "binary file `hosting/files/logo.png` changed (other bytes)",
                "binary file `hosting/files/old.bin` removed",
                "binary file `hosting/files/new.bin` added");
        assertThat(changes.of(Subject.FILE)).extracting(Change::name)
                .containsExactly("hosting/files/logo.png", "hosting/files/old.bin", "hosting/files/new.bin");
    }

    // ---- renderings and errors ---------------------------------------------------------------------

    @Test
    void theJsonRenderingListsEveryChangeWithSubjectNameKindFieldAndValues() throws Exception {
        todoPair();
        edit(todoAfter.resolve("values/maxItemLength.json"), "\"value\": 200", "\"value\": 500");

        JsonNode json = BundleDiff.between(todoBefore, todoAfter).toJson();

        assertThat(json.get("equal").asBoolean()).isFalse();
        assertThat(json.get("count").asInt()).isEqualTo(1);
        JsonNode change = json.get("changes").get(0);
        assertThat(change.get("subject").asText()).isEqualTo("value");
        assertThat(change.get("name").asText()).isEqualTo("maxItemLength");
        assertThat(change.get("kind").asText()).isEqualTo("changed");
        assertThat(change.get("field").asText()).isEqualTo("value");
        assertThat(change.get("summary").asText()).isEqualTo("value `maxItemLength` now 500 (was 200)");
        assertThat(change.get("before").asInt()).isEqualTo(200);
        assertThat(change.get("after").asInt()).isEqualTo(500);
    }

    @Test
    void anUnreadableBundleNamesTheFileAndReason() throws Exception {
        todoPair();
        Files.writeString(todoAfter.resolve("triggers/onNewItem.json"), "{ \"name\": \"onNewItem\", ");

        assertThatThrownBy(() -> BundleDiff.between(todoBefore, todoAfter))
                .isInstanceOfSatisfying(UnreadableBundleException.class, e -> {
                    assertThat(e.bundle()).isEqualTo(todoAfter);
                    assertThat(e.problems()).singleElement().satisfies(p -> {
                        assertThat(p.file()).isEqualTo("triggers/onNewItem.json");
                        assertThat(p.reason()).contains("not valid JSON");
                    });
                });
        assertThatThrownBy(() -> BundleDiff.between(todoBefore, temp.resolve("nothing-here")))
                .isInstanceOf(UnreadableBundleException.class).hasMessageContaining("nothing-here");
    }
}
