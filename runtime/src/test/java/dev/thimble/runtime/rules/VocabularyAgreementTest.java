package dev.thimble.runtime.rules;

import dev.thimble.runtime.expressions.ExpressionVocabulary;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator (ExpressionVocabulary) and the compiler (Operators) must agree on what exists, or a
 * bundle could validate and then fail to compile, or the other way round.
 */
class VocabularyAgreementTest {
    @Test
    void percentOperatorsAreTheSameForTheValidatorAndTheCompiler() {
        Set<String> compiler = new HashSet<>(Operators.LOGICAL);
        compiler.addAll(Operators.VALUE_OPERATORS);
        Operators.COMPARISONS.keySet().stream().filter(k -> k.startsWith("%")).forEach(compiler::add);

        assertThat(compiler).containsExactlyInAnyOrderElementsOf(ExpressionVocabulary.PERCENT_OPERATORS);
    }

    @Test
    void comparisonOperatorsAreTheSame() {
        Set<String> compiler = Operators.COMPARISONS.keySet().stream().filter(k -> k.startsWith("$")).collect(Collectors.toSet());

        assertThat(compiler).containsExactlyInAnyOrderElementsOf(ExpressionVocabulary.COMPARISON_OPERATORS);
    }

    @Test
    void expansionRootsAreTheSame() {
        Set<String> compiler = Arrays.stream(Operators.Root.values()).map(r -> "%%" + r.spelling).collect(Collectors.toSet());
        compiler.add(Operators.TRUE);
        compiler.add(Operators.FALSE);

        assertThat(compiler).containsExactlyInAnyOrderElementsOf(ExpressionVocabulary.EXPANSION_ROOTS);
    }
}
