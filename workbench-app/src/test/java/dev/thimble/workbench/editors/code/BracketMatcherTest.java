package dev.thimble.workbench.editors.code;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BracketMatcherTest {
    private static final String CODE = "f(a[0], { b: (1) })";

    @Test
    void theBracketAfterTheCaretFindsItsPartnerAcrossNesting() {
        assertThat(BracketMatcher.at(CODE, 1)).contains(new BracketMatcher.Pair(1, 18));
        assertThat(BracketMatcher.at(CODE, 8)).contains(new BracketMatcher.Pair(8, 17));
    }

    @Test
    void theBracketBeforeTheCaretCountsWhenNoneFollows() {
        assertThat(BracketMatcher.at(CODE, 19)).contains(new BracketMatcher.Pair(1, 18));
        assertThat(BracketMatcher.at(CODE, 6)).contains(new BracketMatcher.Pair(3, 5));
    }

    @Test
    void noBracketOrNoPartnerGivesNothing() {
        assertThat(BracketMatcher.at("abc", 1)).isEmpty();
        assertThat(BracketMatcher.at("(a", 0)).isEmpty();
        assertThat(BracketMatcher.at("", 0)).isEmpty();
    }
}
