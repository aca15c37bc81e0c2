package dev.thimble.runtime.apps;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.app.TriggerDef;
import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Designing an app from nothing through the service layer: starters, forms' configs and undo (no server). */
class AppEditorDesignTest {
    @TempDir
    Path dir;
    AppEditor editor;
    Path bundle;

    @BeforeEach
    void openTodo() {
        bundle = TestApps.copyOfTodo(dir);
        editor = AppEditor.open(bundle, HostAccess.none());
    }

    @Test
    void everyFunctionStarterMakesAFunctionThatParsesAndValidates() throws Exception {
        for (Starters.FunctionStarter starter : Starters.FunctionStarter.values()) {
            String name = "from_" + starter.name().toLowerCase();
            Restructured created = editor.create(new EditableItem.Function(name), null,
                    starter.source("mongodb-atlas", "inbox", "todo.items"));
            assertThat(created.validation().problems()).as(starter.title())
                    .noneMatch(p -> p.file().startsWith("functions/" + name));
        }
        AppModel read = AppBundles.read(bundle).app();
        assertThat(read.function("from_query_as_caller").orElseThrow().source())
                .contains("context.services.get('mongodb-atlas').db('todo').collection('items')");
        assertThat(read.function("from_http_call").orElseThrow().source()).contains("context.services.get('inbox').get(");
    }

    @Test
    void triggersOfEveryKindComeFromTheirFormsAnswers() throws Exception {
        editor.create(new EditableItem.Trigger("onDone"), Starters.databaseTrigger("mongodb-atlas", "todo", "items",
                List.of("update", "replace"), true, "onItemInserted"), null);
        editor.create(new EditableItem.Trigger("hourly"), Starters.scheduledTrigger("0 * * * *", false, "onItemInserted"), null);
        Restructured last = editor.create(new EditableItem.Trigger("onLogin"),
                Starters.authenticationTrigger("login", List.of("anon-user"), "createUserProfile"), null);

        AppModel read = AppBundles.read(bundle).app();
        assertThat(trigger(read, "onDone").config().obj("config").get("operation_types").toString()).isEqualTo("[\"UPDATE\",\"REPLACE\"]");
        assertThat(trigger(read, "hourly").type()).isEqualTo("SCHEDULED");
        assertThat(trigger(read, "onLogin").config().obj("config").text("action_type", "")).isEqualTo("LOGIN");
        assertThat(last.validation().problems()).noneMatch(p -> p.file().startsWith("triggers/on") && p.isError());
    }

    @Test
    void aTriggerOnAFunctionThatDoesNotExistIsRefusedWithTheValidatorsMessage() {
        assertThatThrownBy(() -> editor.create(new EditableItem.Trigger("broken"),
                Starters.scheduledTrigger("0 * * * *", false, "noSuchFunction"), null))
                .isInstanceOf(EditRefusedException.class).hasMessageContaining("noSuchFunction");
        assertThat(AppBundles.read(bundle).app().triggers()).noneMatch(t -> t.name().equals("broken"));
    }

    @Test
    void servicesOfEveryKindWithRulesWebhooksEndpointsAndProvidersAreCreated() throws Exception {
        for (Starters.ServiceKind kind : Starters.ServiceKind.values()) {
            editor.create(new EditableItem.Service("svc-" + kind.name().toLowerCase()), Starters.service(kind), null);
        }
        editor.create(new EditableItem.ServiceRule("svc-http", "partner"), Starters.serviceRule(List.of("get", "post"),
                List.of("api.partner.example")), null);
        editor.create(new EditableItem.Webhook("svc-http", "readings"), Starters.webhook(),
                Starters.FunctionStarter.WEBHOOK_HANDLER.source("mongodb-atlas", "svc-http", "todo.items"));
        editor.create(new EditableItem.Endpoint("POST", "/readings"), Starters.endpoint("onItemInserted"), null);
        editor.create(new EditableItem.CollectionRule("svc-mongodb", "shop.orders"), null, null);
        editor.create(new EditableItem.DefaultRule("svc-mongodb"), null, null);
        Restructured last = editor.create(new EditableItem.Environment("staging"), null, null);

        AppModel read = AppBundles.read(bundle).app();
        assertThat(read.service("svc-twilio").orElseThrow().type()).isEqualTo("twilio");
        assertThat(read.service("svc-aws").orElseThrow().type()).isEqualTo("aws");
        assertThat(read.service("svc-push").orElseThrow().type()).isEqualTo("gcm");
        assertThat(read.service("svc-http").orElseThrow().serviceRules()).extracting(r -> r.name()).containsExactly("partner");
        assertThat(read.service("svc-http").orElseThrow().webhooks()).extracting(w -> w.name()).containsExactly("readings");
        assertThat(read.endpoints()).anyMatch(e -> e.route().equals("/readings"));
        assertThat(read.service("svc-mongodb").orElseThrow().collectionRules()).extracting(r -> r.namespace()).containsExactly("shop.orders");
        assertThat(read.service("svc-mongodb").orElseThrow().defaultRule()).isNotNull();
        assertThat(read.environments()).anyMatch(e -> e.tag().equals("staging"));
        assertThat(last.validation().errors()).isEmpty();
    }

    @Test
    void undoPutsBackTheLastRenameWithItsReferences() throws Exception {
        editor.rename(new EditableItem.Function("onItemInserted"), "countItems");
        assertThat(trigger(AppBundles.read(bundle).app(), "onNewItem").functionName()).isEqualTo("countItems");
        assertThat(editor.undoable()).contains("Rename the function onItemInserted to countItems");

        Restructured undone = editor.undo();

        AppModel read = AppBundles.read(bundle).app();
        assertThat(read.function("onItemInserted")).isPresent();
        assertThat(read.function("countItems")).isEmpty();
        assertThat(trigger(read, "onNewItem").functionName()).isEqualTo("onItemInserted");
        assertThat(undone.changed()).contains("triggers/onNewItem.json");
        assertThat(editor.undoable()).isEmpty();
        assertThatThrownBy(editor::undo).isInstanceOf(EditRefusedException.class).hasMessageContaining("no structural change");
    }

    @Test
    void undoGoesBackSeveralChangesOneAtATimeAndRedoMakesThemAgain() throws Exception {
        editor.rename(new EditableItem.Function("onItemInserted"), "countItems");
        editor.createSecret("partnerKey", "s3cr3t");
        assertThat(editor.undoable()).contains("Create the secret partnerKey");

        Restructured first = editor.undo();
        assertThat(AppBundles.read(bundle).app().secretNames()).doesNotContain("partnerKey");
        assertThat(editor.undoable()).contains("Rename the function onItemInserted to countItems");
        assertThat(editor.redoable()).contains("Create the secret partnerKey");
        assertThat(first.changed()).isNotEmpty();

        Restructured second = editor.undo();
        assertThat(second.item()).as("the item as it is again").isEqualTo(new EditableItem.Function("onItemInserted"));
        assertThat(trigger(AppBundles.read(bundle).app(), "onNewItem").functionName()).isEqualTo("onItemInserted");
        assertThat(editor.undoable()).isEmpty();

        Restructured redone = editor.redo();
        assertThat(redone.item()).isEqualTo(new EditableItem.Function("countItems"));
        assertThat(trigger(AppBundles.read(bundle).app(), "onNewItem").functionName()).isEqualTo("countItems");
        editor.redo();
        assertThat(editor.workspace().secrets().get("partnerKey")).contains("s3cr3t");
        assertThat(editor.redoable()).isEmpty();
        assertThat(editor.undoable()).contains("Create the secret partnerKey");
    }

    @Test
    void aNewChangeAfterAnUndoCannotBeFollowedByRedo() throws Exception {
        editor.rename(new EditableItem.Function("onItemInserted"), "countItems");
        editor.undo();
        editor.createSecret("partnerKey", "s3cr3t");
        assertThat(editor.redoable()).isEmpty();
        assertThatThrownBy(editor::redo).isInstanceOf(EditRefusedException.class).hasMessageContaining("no undone change");
    }

    @Test
    void undoOfADeleteBringsTheItemAndItsSecretValueBack() throws Exception {
        editor.createSecret("partnerKey", "s3cr3t");
        editor.delete(new EditableItem.Secret("partnerKey"), false);
        assertThat(editor.workspace().secrets().get("partnerKey")).isEmpty();

        editor.undo();

        assertThat(AppBundles.read(bundle).app().secretNames()).contains("partnerKey");
        assertThat(editor.workspace().secrets().get("partnerKey")).contains("s3cr3t");
    }

    @Test
    void undoIsRefusedOnceAnEditWasSavedAfterTheChangeSoTheEditIsNotLost() throws Exception {
        editor.create(new EditableItem.Function("fresh"), null, null);
        editor.saveSource("fresh", "exports = function() { return 42; };\n");

        assertThatThrownBy(editor::undo).isInstanceOf(EditRefusedException.class).hasMessageContaining("has changed since");
        assertThat(AppBundles.read(bundle).app().function("fresh").orElseThrow().source()).contains("42");
    }

    @Test
    void statementsBecomeAnAsyncFunctionAndAFunctionSourceStaysAsWritten() {
        assertThat(FunctionConsole.asFunctionSource("return 1;")).startsWith("exports = async function(").contains("return 1;");
        assertThat(FunctionConsole.asFunctionSource("exports = () => 2;")).isEqualTo("exports = () => 2;");
    }

    private static TriggerDef trigger(AppModel app, String name) {
        return app.triggers().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unused")
    private static Json none() {
        return null;
    }
}
