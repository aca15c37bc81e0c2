package dev.thimble.runtime.expressions;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpressionVocabularyTest {

    @Test
    void expansionRootIsTheFirstSegment() {
        assertThat(ExpressionVocabulary.expansionRoot("%%user.custom_data.team")).isEqualTo("%%user");
        assertThat(ExpressionVocabulary.expansionRoot("%%true")).isEqualTo("%%true");
    }

    @Test
    void ctxIsNotAnExpansion() {
        assertThat(ExpressionVocabulary.isKnownExpansion("%%ctx.user")).isFalse();
        assertThat(ExpressionVocabulary.isKnownExpansion("%%prevRoot.status")).isTrue();
    }

    @Test
    void valueNameIsTheSegmentAfterValues() {
        assertThat(ExpressionVocabulary.valueName("%%values.adminIds.0")).contains("adminIds");
        assertThat(ExpressionVocabulary.valueName("%%values")).isEmpty();
        assertThat(ExpressionVocabulary.valueName("%%environment.values.url")).isEmpty();
    }

    @Test
    void knownMistakesAreCorrected() {
        assertThat(ExpressionVocabulary.suggestion("%oid", ExpressionVocabulary.PERCENT_OPERATORS)).contains("%stringToOid");
    }

    @Test
    void nearMissesGetTheClosestWord() {
        assertThat(ExpressionVocabulary.suggestion("%%User", ExpressionVocabulary.EXPANSION_ROOTS)).contains("%%user");
        assertThat(ExpressionVocabulary.suggestion("%stringToObjId", ExpressionVocabulary.PERCENT_OPERATORS)).contains("%stringToOid");
    }

    @Test
    void farWordsGetNoSuggestion() {
        assertThat(ExpressionVocabulary.suggestion("%%ctx", ExpressionVocabulary.EXPANSION_ROOTS)).isEmpty();
    }
}
