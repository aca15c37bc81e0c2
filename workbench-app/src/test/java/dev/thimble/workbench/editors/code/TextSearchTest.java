package dev.thimble.workbench.editors.code;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextSearchTest {
    private static final String TEXT = "const Item = item;\nreturn ITEM;";

    @Test
    void findsCaseInsensitivelyAndWrapsAround() {
        assertThat(TextSearch.next(TEXT, "item", 0)).hasValue(6);
        assertThat(TextSearch.next(TEXT, "item", 7)).hasValue(13);
        assertThat(TextSearch.next(TEXT, "item", 30)).hasValue(6);
        assertThat(TextSearch.previous(TEXT, "item", 6)).hasValue(26);
        assertThat(TextSearch.count(TEXT, "item")).isEqualTo(3);
        assertThat(TextSearch.next(TEXT, "nothing", 0)).isEmpty();
    }

    @Test
    void replaceAllReplacesEveryMatch() {
        assertThat(TextSearch.replaceAll(TEXT, "item", "entry")).isEqualTo("const entry = entry;\nreturn entry;");
        assertThat(TextSearch.replaceAll(TEXT, "", "x")).isEqualTo(TEXT);
    }
}
