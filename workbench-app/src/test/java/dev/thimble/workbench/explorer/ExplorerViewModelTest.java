package dev.thimble.workbench.explorer;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExplorerViewModelTest {
    private final AppModel todo = AppBundles.read(TestApps.TODO).app();
    private final List<EditableItem> opened = new ArrayList<>();
    private final ExplorerViewModel explorer = new ExplorerViewModel(opened::add);

    private ExplorerNode group(String label) {
        return explorer.rootProperty().get().children().stream().filter(n -> n.label().equals(label)).findFirst().orElseThrow();
    }

    private static List<String> labels(ExplorerNode node) {
        return node.children().stream().map(ExplorerNode::label).toList();
    }

    @Test
    void theTreeHasEveryGroupOfTheAppInOrder() {
        explorer.show(todo, Set.of());
        ExplorerNode root = explorer.rootProperty().get();
        assertThat(root.label()).isEqualTo("todo");
        assertThat(labels(root)).containsExactly("App settings", "Functions", "Rules", "Values", "Secrets", "Triggers",
                "Webhooks & endpoints", "Auth providers", "Services", "Environments");
    }

    @Test
    void eachGroupListsTheExamplesItems() {
        explorer.show(todo, Set.of("chatWebhookKey"));
        assertThat(labels(group("Functions"))).containsExactly("addItem", "createUserProfile", "itemsDueSoon",
                "onItemInserted", "shareList", "userIdForEmail", "validateItemText");
        assertThat(labels(group("Rules"))).containsExactly("inbox: notifyChat", "todo.items", "todo.lists", "todo.users");
        assertThat(labels(group("Values"))).containsExactly("appTitle", "chatWebhookKey", "maxItemLength");
        assertThat(labels(group("Triggers"))).containsExactly("onNewItem", "onUserCreated");
        assertThat(labels(group("Webhooks & endpoints"))).containsExactly("inbox: newItem");
        assertThat(labels(group("Auth providers"))).containsExactly("anon-user", "api-key", "local-userpass");
        assertThat(labels(group("Services"))).containsExactly("inbox", "mongodb-atlas");
        assertThat(group("Environments").hint()).isEqualTo("none");
    }

    @Test
    void hintsSayWhatMattersAtAGlance() {
        explorer.show(todo, Set.of("chatWebhookKey"));
        assertThat(group("Secrets").children()).extracting(ExplorerNode::label, ExplorerNode::hint)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("chatWebhookKey", ""),
                        org.assertj.core.groups.Tuple.tuple("inboxWebhookSecret", "no local value"));
        assertThat(group("Functions").children()).filteredOn(n -> n.label().equals("userIdForEmail"))
                .extracting(ExplorerNode::hint).containsExactly("private, system");
        assertThat(group("Triggers").children().getFirst().hint()).isEqualTo("database");
    }

    @Test
    void openingARowOpensItsItemAndASecretAsksForItsValue() {
        explorer.show(todo, Set.of());
        explorer.open(group("Functions").children().getFirst());
        explorer.open(group("Values").children().get(1));
        explorer.open(group("Secrets").children().getFirst());
        explorer.open(group("Rules"));

        assertThat(opened).containsExactly(new EditableItem.Function("addItem"), new EditableItem.Values(),
                new EditableItem.Secret("chatWebhookKey"));
    }
}
