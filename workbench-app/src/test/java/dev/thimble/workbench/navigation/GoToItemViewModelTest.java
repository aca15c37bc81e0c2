package dev.thimble.workbench.navigation;

import dev.thimble.runtime.app.AppBundles;
import dev.thimble.testing.TestApps;
import dev.thimble.runtime.apps.EditableItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ctrl+P without a window: fuzzy matching over the example app's items. */
class GoToItemViewModelTest {
    private final List<EditableItem> opened = new ArrayList<>();
    private final GoToItemViewModel goTo = new GoToItemViewModel(opened::add);

    {
        goTo.show(AppBundles.read(TestApps.TODO).app());
    }

    @Test
    void initialsOfAFunctionNameFindItFirst() {
        goTo.queryProperty().set("vit");
        assertThat(goTo.results().getFirst()).isEqualTo(new EditableItem.Function("validateItemText"));
    }

    @Test
    void aPartOfTheFileFindsRulesAndTriggers() {
        goTo.queryProperty().set("todo.items");
        assertThat(goTo.results().getFirst()).isEqualTo(new EditableItem.CollectionRule("mongodb-atlas", "todo.items"));
        goTo.queryProperty().set("trig onnew");
        assertThat(goTo.results().getFirst()).isEqualTo(new EditableItem.Trigger("onNewItem"));
    }

    @Test
    void lettersOutOfOrderMatchNothing() {
        goTo.queryProperty().set("zzqx");
        assertThat(goTo.results()).isEmpty();
    }

    @Test
    void enterOpensTheBestMatchAndHidesThePicker() {
        goTo.open();
        assertThat(goTo.showingProperty().get()).isTrue();
        goTo.queryProperty().set("addit");
        goTo.choose(null);

        assertThat(opened).containsExactly(new EditableItem.Function("addItem"));
        assertThat(goTo.showingProperty().get()).isFalse();
    }

    @Test
    void fuzzyScoresPreferRunsAndWordStarts() {
        assertThat(FuzzyMatch.score("item", "addItem").getAsInt()).isGreaterThan(FuzzyMatch.score("item", "iXtXeXm").getAsInt());
        assertThat(FuzzyMatch.score("dso", "itemsDueSoon").getAsInt()).isGreaterThan(0);
        assertThat(FuzzyMatch.score("xyz", "itemsDueSoon")).isEmpty();
    }
}
