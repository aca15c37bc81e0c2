package dev.thimble.workbench.editors.code;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompletionsTest {
    private final Completions completions = new Completions(new Completions.AppNames(
            () -> List.of("addItem", "validateItemText"), () -> List.of("maxItemLength", "appTitle"), () -> List.of("mongodb-atlas", "inbox")));

    private Completions.Proposal at(String textWithCaret) {
        int caret = textWithCaret.indexOf('|');
        return completions.at(textWithCaret.replace("|", ""), caret);
    }

    @Test
    void afterContextDotTheApiIsOffered() {
        assertThat(at("  const x = context.|").candidates()).contains("values", "functions", "services", "user", "http");
        assertThat(at("context.se|").candidates()).containsExactly("services");
        assertThat(at("context.se|").replaceFrom()).isEqualTo("context.".length());
        assertThat(at("context.user.|").candidates()).containsExactly("custom_data", "data", "id", "identities", "type");
    }

    @Test
    void quotedNamesCompleteFromTheApp() {
        assertThat(at("await context.functions.execute(\"va|").candidates()).containsExactly("validateItemText");
        assertThat(at("context.values.get('|").candidates()).containsExactly("maxItemLength", "appTitle");
        assertThat(at("context.services.get(\"m|").candidates()).containsExactly("mongodb-atlas");
    }

    @Test
    void aBareWordOffersTheGlobalsAndAnUnknownObjectNothing() {
        assertThat(at("con|").candidates()).containsExactly("console", "context");
        assertThat(at("items.|").candidates()).isEmpty();
        assertThat(at("\n|").candidates()).isEmpty();
    }
}
