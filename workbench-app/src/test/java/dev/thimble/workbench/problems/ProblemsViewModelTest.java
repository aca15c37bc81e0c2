package dev.thimble.workbench.problems;

import dev.thimble.runtime.app.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsViewModelTest {
    private final List<Problem> opened = new ArrayList<>();
    private final ProblemsViewModel problems = new ProblemsViewModel(opened::add);

    @Test
    void errorsComeFirstAndTheSummaryCountsBoth() {
        Problem warning = Problem.warning("values/a.json", "", "w");
        Problem error = Problem.error("triggers/t.json", "function_name", "e");
        problems.show(List.of(warning, error));

        assertThat(problems.problems()).containsExactly(error, warning);
        assertThat(problems.summaryProperty().get()).isEqualTo("1 error, 1 warning");
        problems.show(List.of());
        assertThat(problems.summaryProperty().get()).isEqualTo("No problems");
    }

    @Test
    void openingAProblemAsksTheWindowToShowIt() {
        Problem error = Problem.error("functions/f/source.js", "line 3", "Expected ;");
        problems.open(error);
        problems.open(null);
        assertThat(opened).containsExactly(error);
    }

    @Test
    void aSourceProblemNamesItsLine() {
        assertThat(ProblemsViewModel.lineOf(Problem.error("functions/f/source.js", "line 12", "x"))).isEqualTo(OptionalInt.of(12));
        assertThat(ProblemsViewModel.lineOf(Problem.error("triggers/t.json", "function_name", "x"))).isEmpty();
    }
}
