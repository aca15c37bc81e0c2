package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ctrl+Shift+F's search over the example bundle's files. */
class AppSearchTest {
    @Test
    void aValueNameIsFoundInTheFunctionThatReadsItAndInItsOwnFile() {
        List<AppSearch.Hit> hits = AppSearch.search(TestApps.TODO, "MAXITEMLENGTH");

        assertThat(hits).extracting(AppSearch.Hit::file)
                .contains("functions/validateItemText/source.js", "values/maxItemLength.json");
        AppSearch.Hit inSource = hits.stream().filter(h -> h.file().equals("functions/validateItemText/source.js") && h.line() > 1).findFirst().orElseThrow();
        assertThat(inSource.line()).isEqualTo(6);
        assertThat(inSource.text()).isEqualTo("const max = context.values.get(\"maxItemLength\");");
        assertThat(inSource.column()).isEqualTo(35);
    }

    @Test
    void rulesAreSearchedToo() {
        assertThat(AppSearch.search(TestApps.TODO, "shared_with")).extracting(AppSearch.Hit::file)
                .contains("services/mongodb-atlas/rules/todo.lists.json");
    }

    @Test
    void blankTextFindsNothing() {
        assertThat(AppSearch.search(TestApps.TODO, "  ")).isEmpty();
    }
}
